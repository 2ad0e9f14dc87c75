package io.tidemark.backends.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelSftp.LsEntry;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.Session;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.store.ExactLength;
import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Snapshots in a folder on an SFTP server (OpenSSH), through JSch. Objects are files at
 * {@code <path>/<key>}; temporary uploads and lock files live in the hidden folder
 * {@code <path>/.tidemark/}, which {@link #list} never shows. Each operation borrows an SFTP channel
 * of the caller's session ({@link SftpChannels}, at most {@link SftpStoreConfig#maxChannels()} at
 * once), so one store serves many threads; a stream from {@link #open} holds its channel until closed.
 *
 * <ul>
 * <li>putIfAbsent: upload to a temporary file, then {@code hardlink@openssh.com} it to the key
 * (link(2): fails if the name exists, never overwrites), then remove the temporary name. Plain
 * SFTP rename is not usable: JSch's {@code rename} sends {@code posix-rename@openssh.com} whenever
 * the server offers it, and that overwrites.</li>
 * <li>replace: upload to a temporary file, then {@code posix-rename@openssh.com} (rename(2)) over
 * the key: readers see the old file or the new one, never none or a part. Both extensions are
 * required; a server without them is refused with an error rather than written unsafely.</li>
 * <li>compareAndSet: under a lock file {@code .tidemark/<key>.lock}, created exclusively by
 * hard-linking a temporary file holding a fresh token onto the lock name; read the key, compare the
 * sha256 of its content (the version) with the expected one, check the lock still holds our token,
 * then write as replace does and remove the lock. A lock older than
 * {@link SftpStoreConfig#lockStaleAfter()} (measured by the server's clock: our temporary file's
 * mtime against the lock's) is a dead holder's and is removed; waiters retry for
 * {@link SftpStoreConfig#lockWait()}.</li>
 * </ul>
 */
public final class SftpSnapshotStore implements SnapshotStore, AutoCloseable {
    static final String HIDDEN = ".tidemark";

    private final SftpStoreConfig config;
    private final SftpChannels channels;
    private volatile boolean foldersReady;

    /** Runs on {@code session}, which the caller connected ({@link SftpSessions#connect}) and disconnects. */
    public SftpSnapshotStore(Session session, SftpStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.channels = new SftpChannels(Objects.requireNonNull(session, "session"), describe(), config.maxChannels());
    }

    @Override
    public void putIfAbsent(String key, InputStream body, long length) {
        String target = path(key);
        channels.run(key, "write", c -> {
            String tmp = upload(c, key, body, length);
            try {
                mkdirs(c, parent(target));
                c.hardlink(tmp, target);
            } catch (SftpException e) {
                if (exists(c, target)) {
                    throw new ObjectExistsException(key);
                }
                throw e;
            } finally {
                rmQuietly(c, tmp);
            }
            return null;
        });
    }

    @Override
    public void replace(String key, InputStream body, long length) {
        channels.run(key, "write", c -> {
            String tmp = upload(c, key, body, length);
            try {
                renameOver(c, tmp, path(key));
            } finally {
                rmQuietly(c, tmp);
            }
            return null;
        });
    }

    @Override
    public InputStream open(String key) {
        ChannelSftp c = channels.borrow(key);
        try {
            InputStream in = c.get(path(key));
            return new FilterInputStream(in) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    if (!closed) {
                        closed = true;
                        try {
                            super.close();
                        } finally {
                            channels.giveBack(c);
                        }
                    }
                }
            };
        } catch (SftpException e) {
            channels.giveBack(c);
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                throw new ObjectNotFoundException(key);
            }
            throw channels.failure("read", key, e);
        } catch (RuntimeException e) {
            channels.discard(c);
            throw e;
        }
    }

    @Override
    public Optional<Versioned> read(String key) {
        return channels.run(key, "read", c -> read(c, key));
    }

    @Override
    public String compareAndSet(String key, byte[] content, String expectedVersion) {
        Objects.requireNonNull(content, "content");
        return channels.run(key, "compare-and-set", c -> {
            SftpLockFile lock = new SftpLockFile(c, path(HIDDEN + "/" + key.replace('/', '%') + ".lock"),
                    path(HIDDEN + "/tmp-"), key, describe(), config);
            ensureFolders(c);
            lock.acquire();
            try {
                Optional<Versioned> current = read(c, key);
                if (expectedVersion == null && current.isPresent()) {
                    throw new PreconditionFailedException(key, "it already exists");
                }
                if (expectedVersion != null && current.map(v -> !v.version().equals(expectedVersion)).orElse(true)) {
                    throw new PreconditionFailedException(key, current.isEmpty() ? "it no longer exists"
                            : "it changed since it was read");
                }
                String tmp = upload(c, key, new ByteArrayInputStream(content), content.length);
                try {
                    lock.checkStillHeld();
                    renameOver(c, tmp, path(key));
                } finally {
                    rmQuietly(c, tmp);
                }
                return Hashing.sha256(content);
            } finally {
                lock.release();
            }
        });
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        return channels.run(key, "stat", c -> {
            try {
                SftpATTRS a = c.stat(path(key));
                return a.isDir() ? Optional.empty()
                        : Optional.of(new ObjectStat(a.getSize(), Instant.ofEpochSecond(a.getMTime() & 0xffffffffL)));
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public List<String> list(String prefix) {
        int slash = prefix.lastIndexOf('/');
        String folder = slash < 0 ? "" : prefix.substring(0, slash + 1);
        return channels.run(prefix.isEmpty() ? "the store folder" : prefix, "list", c -> {
            List<String> keys = new ArrayList<>();
            walk(c, folder, prefix, keys);
            keys.sort(null);
            return keys;
        });
    }

    @Override
    public void delete(String key) {
        channels.run(key, "delete", c -> {
            try {
                c.rm(path(key));
            } catch (SftpException e) {
                if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
            }
            return null;
        });
    }

    /** Temp files ({@code .tidemark/tmp-*}) of uploads whose writer died, by the server's modification time. */
    @Override
    public int removeAbandoned(java.time.Instant before) {
        return channels.run(HIDDEN, "clean up", c -> {
            java.util.Vector<?> entries;
            try {
                entries = c.ls(path(HIDDEN));
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    return 0;
                }
                throw e;
            }
            int removed = 0;
            for (Object o : entries) {
                ChannelSftp.LsEntry e = (ChannelSftp.LsEntry) o;
                if (e.getFilename().startsWith("tmp-") && !e.getAttrs().isDir()
                        && e.getAttrs().getMTime() * 1000L < before.toEpochMilli()) {
                    rmQuietly(c, path(HIDDEN + "/" + e.getFilename()));
                    removed++;
                }
            }
            return removed;
        });
    }

    @Override
    public String describe() {
        return "sftp://" + config.user() + "@" + config.host() + ":" + config.port() + config.path();
    }

    /** Closes the idle channels; the session stays the caller's. */
    @Override
    public void close() {
        channels.close();
    }

    private void walk(ChannelSftp c, String folder, String prefix, List<String> keys) throws SftpException {
        List<LsEntry> entries = new ArrayList<>();
        try {
            c.ls(folder.isEmpty() ? config.path() : path(folder.substring(0, folder.length() - 1)), e -> {
                entries.add(e);
                return ChannelSftp.LsEntrySelector.CONTINUE;
            });
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return;
            }
            throw e;
        }
        for (LsEntry e : entries) {
            if (e.getFilename().startsWith(".")) {
                continue;
            }
            String rel = folder + e.getFilename();
            if (e.getAttrs().isDir()) {
                String sub = rel + "/";
                if (sub.startsWith(prefix) || prefix.startsWith(sub)) {
                    walk(c, sub, prefix, keys);
                }
            } else if (rel.startsWith(prefix)) {
                keys.add(rel);
            }
        }
    }

    private Optional<Versioned> read(ChannelSftp c, String key) throws SftpException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            c.get(path(key), out);
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw e;
        }
        byte[] content = out.toByteArray();
        return Optional.of(new Versioned(content, Hashing.sha256(content)));
    }

    /** Uploads exactly {@code length} bytes to a fresh temporary file and returns its path. */
    private String upload(ChannelSftp c, String key, InputStream body, long length) throws SftpException {
        ensureFolders(c);
        String tmp = path(HIDDEN + "/tmp-" + UUID.randomUUID());
        try {
            c.put(ExactLength.stream(key, body, length), tmp, ChannelSftp.OVERWRITE);
        } catch (SftpException e) {
            rmQuietly(c, tmp);
            if (e.getCause() instanceof IOException io) {
                throw new StoreException("cannot write " + key + " to " + describe() + ": " + io.getMessage(), e);
            }
            throw e;
        }
        return tmp;
    }

    private void renameOver(ChannelSftp c, String tmp, String target) throws SftpException {
        if (c.getExtension("posix-rename@openssh.com") == null) {
            throw new StoreException("the SFTP server of " + describe() + " lacks posix-rename@openssh.com:"
                    + " an object cannot be replaced atomically there");
        }
        mkdirs(c, parent(target));
        c.rename(tmp, target);
    }

    private void ensureFolders(ChannelSftp c) throws SftpException {
        if (!foldersReady) {
            if (c.getExtension("hardlink@openssh.com") == null) {
                throw new StoreException("the SFTP server of " + describe() + " lacks hardlink@openssh.com:"
                        + " objects cannot be created only-if-absent there");
            }
            mkdirs(c, path(HIDDEN));
            foldersReady = true;
        }
    }

    /** Creates {@code dir} and its missing parents; tolerates another caller creating them first. */
    private static void mkdirs(ChannelSftp c, String dir) throws SftpException {
        if (dir.isEmpty() || exists(c, dir)) {
            return;
        }
        mkdirs(c, parent(dir));
        try {
            c.mkdir(dir);
        } catch (SftpException e) {
            if (!exists(c, dir)) {
                throw e;
            }
        }
    }

    static boolean exists(ChannelSftp c, String p) throws SftpException {
        try {
            c.stat(p);
            return true;
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw e;
        }
    }

    static void rmQuietly(ChannelSftp c, String p) {
        try {
            c.rm(p);
        } catch (SftpException ignored) {
            // gone already, or a leftover hidden from list() and harmless
        }
    }

    private static String parent(String p) {
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "" : p.substring(0, slash);
    }

    private String path(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("*") || key.contains("?")) {
            throw new IllegalArgumentException("key '" + key + "' is outside the store " + describe());
        }
        return config.resolve(key);
    }

    static long jitter(long pause) {
        return ThreadLocalRandom.current().nextLong(pause, pause * 2 + 1);
    }
}
