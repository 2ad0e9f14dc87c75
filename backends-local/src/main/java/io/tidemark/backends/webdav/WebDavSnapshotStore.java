package io.tidemark.backends.webdav;

import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.store.ExactLength;
import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Snapshots on a WebDAV server (RFC 4918), through the JDK's HTTP client with Basic auth. Objects
 * live at {@code <base>/<dir>/<key>}; temporary uploads and lock resources in the hidden folder
 * {@code <dir>/.tidemark/}, which {@link #list} never shows.
 *
 * <ul>
 * <li>putIfAbsent: PUT to a temporary name, then {@code MOVE} onto the key with {@code Overwrite: F};
 * 412 means the key exists. A partly uploaded object is never visible under its key.</li>
 * <li>replace: PUT to a temporary name, then {@code MOVE} with {@code Overwrite: T}. RFC 4918 (9.9.3)
 * makes the server delete the destination before moving, and wsgidav does: for that instant a
 * reader may find no object (never a partial one).</li>
 * <li>compareAndSet: under an exclusive WebDAV write LOCK on {@code .tidemark/<key>.lock}, read the
 * object, compare the sha256 of its content with the expected version, then write as replace does,
 * then UNLOCK. We chose LOCK over {@code If-Match}: servers check If-Match and then write in two
 * steps (wsgidav does, under no mutex), and wsgidav's ETag (inode-mtime-size, in seconds) can repeat
 * for two same-size writes in one second; its lock manager grants LOCKs under a mutex, so exactly
 * one caller holds the lock. A lock whose holder died expires after
 * {@link WebDavStoreConfig#lockTimeout()} on the server; waiters retry for
 * {@link WebDavStoreConfig#lockWait()}. Versions are content hashes, so they never depend on ETags.</li>
 * </ul>
 */
public final class WebDavSnapshotStore implements SnapshotStore {
    static final String HIDDEN = ".tidemark/";
    private static final String DAV = "DAV:";

    private final HttpClient http;
    private final WebDavStoreConfig config;
    private final String auth;
    private volatile boolean foldersReady;

    public WebDavSnapshotStore(HttpClient http, WebDavStoreConfig config) {
        this.http = Objects.requireNonNull(http, "http");
        this.config = Objects.requireNonNull(config, "config");
        this.auth = "Basic " + Base64.getEncoder().encodeToString((config.login() + ":" + config.secret())
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void putIfAbsent(String key, InputStream body, long length) {
        String tmp = upload(key, body, length);
        try {
            move(key, tmp, false);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public void replace(String key, InputStream body, long length) {
        String tmp = upload(key, body, length);
        try {
            move(key, tmp, true);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public InputStream open(String key) {
        HttpResponse<InputStream> r = send(key, "GET", request(url(key)).GET(), BodyHandlers.ofInputStream());
        if (r.statusCode() == 404) {
            closeQuietly(r.body());
            throw new ObjectNotFoundException(key);
        }
        if (r.statusCode() != 200) {
            closeQuietly(r.body());
            throw failure("GET", key, r.statusCode());
        }
        return r.body();
    }

    @Override
    public Optional<Versioned> read(String key) {
        HttpResponse<byte[]> r = send(key, "GET", request(url(key)).GET(), BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw failure("GET", key, r.statusCode());
        }
        return Optional.of(new Versioned(r.body(), Hashing.sha256(r.body())));
    }

    @Override
    public String compareAndSet(String key, byte[] content, String expectedVersion) {
        Objects.requireNonNull(content, "content");
        String lock = HIDDEN + key.replace('/', '%') + ".lock";
        String token = lock(key, lock);
        try {
            Optional<Versioned> current = read(key);
            if (expectedVersion == null && current.isPresent()) {
                throw new PreconditionFailedException(key, "it already exists");
            }
            if (expectedVersion != null && current.map(v -> !v.version().equals(expectedVersion)).orElse(true)) {
                throw new PreconditionFailedException(key, current.isEmpty() ? "it no longer exists"
                        : "it changed since it was read");
            }
            replace(key, new java.io.ByteArrayInputStream(content), content.length);
            return Hashing.sha256(content);
        } finally {
            unlock(key, lock, token);
        }
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        return WebDavXml.stat(propfind(key, key, "0"), key, describe());
    }

    @Override
    public List<String> list(String prefix) {
        int slash = prefix.lastIndexOf('/');
        String folder = slash < 0 ? "" : prefix.substring(0, slash + 1);
        List<String> keys = new ArrayList<>();
        walk(folder, prefix, keys);
        keys.sort(null);
        return keys;
    }

    @Override
    public void delete(String key) {
        int status = send(key, "DELETE", request(url(key)).DELETE(), BodyHandlers.discarding()).statusCode();
        if (status / 100 != 2 && status != 404) {
            throw failure("DELETE", key, status);
        }
    }

    /** Temp files ({@code .tidemark/tmp-*}) of uploads whose writer died, by the server's modification time. */
    @Override
    public int removeAbandoned(java.time.Instant before) {
        HttpResponse<byte[]> r = propfind(HIDDEN, HIDDEN, "1");
        if (r.statusCode() == 404) {
            return 0;
        }
        int removed = 0;
        for (WebDavXml.Entry e : WebDavXml.entries(r, config.rootPath(), HIDDEN, describe())) {
            String name = e.relative().substring(Math.min(e.relative().length(), HIDDEN.length()));
            if (!e.collection() && name.startsWith("tmp-") && e.lastModified() != null
                    && e.lastModified().isBefore(before)) {
                deleteQuietly(e.relative());
                removed++;
            }
        }
        return removed;
    }

    @Override
    public String describe() {
        return "webdav:" + config.baseUrl() + (config.dir().isEmpty() ? "" : "/" + config.dir());
    }

    private void walk(String folder, String prefix, List<String> keys) {
        HttpResponse<byte[]> r = propfind(folder.isEmpty() ? "the store folder" : folder, folder, "1");
        if (r.statusCode() == 404) {
            return;
        }
        for (WebDavXml.Entry e : WebDavXml.entries(r, config.rootPath(), folder, describe())) {
            String rel = e.relative();
            if (rel.equals(folder) || rel.isEmpty() || rel.startsWith(".") || rel.contains("/.")) {
                continue;
            }
            if (e.collection()) {
                String sub = rel.endsWith("/") ? rel : rel + "/";
                if (sub.startsWith(prefix) || prefix.startsWith(sub)) {
                    walk(sub, prefix, keys);
                }
            } else if (rel.startsWith(prefix)) {
                keys.add(rel);
            }
        }
    }

    private HttpResponse<byte[]> propfind(String what, String relative, String depth) {
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"" + DAV + "\"><D:prop>"
                + "<D:resourcetype/><D:getcontentlength/><D:getlastmodified/></D:prop></D:propfind>";
        HttpResponse<byte[]> r = send(what, "PROPFIND", request(url(relative)).header("Depth", depth)
                .header("Content-Type", "application/xml; charset=utf-8")
                .method("PROPFIND", BodyPublishers.ofString(body)), BodyHandlers.ofByteArray());
        if (r.statusCode() != 207 && r.statusCode() != 404) {
            throw failure("PROPFIND", what, r.statusCode());
        }
        return r;
    }

    /** PUTs the body to a fresh temporary name and returns that name. */
    private String upload(String key, InputStream body, long length) {
        ensureFolders(key);
        String tmp = HIDDEN + "tmp-" + UUID.randomUUID();
        // The JDK refuses a declared length of 0; an empty object is still an object. An unknown
        // length goes up with chunked transfer encoding.
        BodyPublisher publisher = length == 0 ? BodyPublishers.noBody()
                : length == UNKNOWN_LENGTH ? BodyPublishers.ofInputStream(() -> body)
                : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> ExactLength.stream(key, body, length)),
                        length);
        int status;
        try {
            status = http.send(request(url(tmp)).PUT(publisher).build(), BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new StoreException("cannot upload " + key + " to " + describe() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(tmp);
            throw new StoreException("interrupted while uploading " + key + " to " + describe(), e);
        }
        if (status / 100 != 2) {
            deleteQuietly(tmp);
            throw failure("PUT", key, status);
        }
        return tmp;
    }

    /** MOVEs the temporary upload onto the key, creating missing parent folders once. */
    private void move(String key, String tmp, boolean overwrite) {
        for (int attempt = 0; ; attempt++) {
            int status = send(key, "MOVE", request(url(tmp)).header("Destination", url(key).toString())
                    .header("Overwrite", overwrite ? "T" : "F")
                    .method("MOVE", BodyPublishers.noBody()), BodyHandlers.discarding()).statusCode();
            if (status == 201 || status == 204) {
                return;
            }
            if (status == 412 && !overwrite) {
                throw new ObjectExistsException(key);
            }
            if (status == 409 && attempt == 0) {
                mkcolParents(key);
                continue;
            }
            throw failure("MOVE", key, status);
        }
    }

    private String lock(String key, String lock) {
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:lockinfo xmlns:D=\"" + DAV + "\">"
                + "<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>"
                + "<D:owner>tidemark " + UUID.randomUUID() + "</D:owner></D:lockinfo>";
        ensureFolders(key);
        long deadline = System.nanoTime() + config.lockWait().toNanos();
        long pause = 5;
        while (true) {
            HttpResponse<Void> r = send(key, "LOCK", request(url(lock)).header("Depth", "0")
                    .header("Timeout", "Second-" + config.lockTimeout().toSeconds())
                    .header("Content-Type", "application/xml; charset=utf-8")
                    .method("LOCK", BodyPublishers.ofString(body)), BodyHandlers.discarding());
            int status = r.statusCode();
            if (status == 200 || status == 201) {
                return r.headers().firstValue("Lock-Token").orElseThrow(() -> new StoreException(
                        "WebDAV LOCK for " + key + " in " + describe() + " returned no Lock-Token"));
            }
            if (status != 423 && status != 409 || System.nanoTime() > deadline) {
                throw status == 423
                        ? new StoreException("compare-and-set of " + key + " in " + describe() + ": its lock "
                            + lock + " stayed held for " + config.lockWait() + " (it expires by itself after "
                            + config.lockTimeout() + ")")
                        : failure("LOCK", key, status);
            }
            sleep(key, ThreadLocalRandom.current().nextLong(pause, pause * 2 + 1));
            pause = Math.min(pause * 2, 100);
        }
    }

    private void unlock(String key, String lock, String token) {
        int status = send(key, "UNLOCK", request(url(lock)).header("Lock-Token", token)
                .method("UNLOCK", BodyPublishers.noBody()), BodyHandlers.discarding()).statusCode();
        if (status / 100 != 2) {
            throw failure("UNLOCK", key, status);
        }
    }

    private void ensureFolders(String key) {
        if (foldersReady) {
            return;
        }
        String dir = config.dir();
        StringBuilder path = new StringBuilder();
        if (!dir.isEmpty()) {
            for (String segment : dir.split("/")) {
                path.append(segment).append('/');
                mkcol(key, URI.create(config.baseUrl().getScheme() + "://" + config.baseUrl().getRawAuthority()
                        + config.baseUrl().getRawPath() + "/" + WebDavStoreConfig.encodePath(path.toString())));
            }
        }
        mkcol(key, url(HIDDEN));
        foldersReady = true;
    }

    private void mkcolParents(String key) {
        String[] segments = key.split("/");
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            path.append(segments[i]).append('/');
            mkcol(key, url(path.toString()));
        }
    }

    private void mkcol(String key, URI folder) {
        int status = send(key, "MKCOL", request(folder).method("MKCOL", BodyPublishers.noBody()),
                BodyHandlers.discarding()).statusCode();
        if (status != 201 && status != 405) { // 405: the folder exists
            throw failure("MKCOL", key, status);
        }
    }

    private void deleteQuietly(String tmp) {
        try {
            http.send(request(url(tmp)).DELETE().build(), BodyHandlers.discarding());
        } catch (IOException ignored) {
            // a leftover temporary upload is hidden from list() and harmless
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1).timeout(config.requestTimeout())
                .header("Authorization", auth);
    }

    private URI url(String relative) {
        if (relative.startsWith("/") || relative.contains("..")) {
            throw new IllegalArgumentException("key '" + relative + "' is outside the store " + describe());
        }
        return config.resolve(relative);
    }

    private <T> HttpResponse<T> send(String key, String method, HttpRequest.Builder request, BodyHandler<T> handler) {
        try {
            HttpResponse<T> r = http.send(request.build(), handler);
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new StoreException("WebDAV " + method + " of " + key + " in " + describe() + " was refused ("
                        + r.statusCode() + "): check login and secret");
            }
            return r;
        } catch (IOException e) {
            throw new StoreException("WebDAV " + method + " of " + key + " in " + describe() + " failed: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted during WebDAV " + method + " of " + key + " in " + describe(), e);
        }
    }

    private StoreException failure(String method, String key, int status) {
        return new StoreException("WebDAV " + method + " of " + key + " in " + describe() + " answered " + status);
    }

    private void sleep(String key, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the lock of " + key + " in " + describe(), e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
