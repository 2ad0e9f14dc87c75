package io.tidemark.backends.local;

import io.tidemark.core.snapshot.Durable;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Snapshots in a local folder (or any mounted file system). Immutable objects appear atomically and
 * only if absent: written to a temp file, synced, then hard-linked into place (link fails if the
 * name exists). HEAD's compare-and-set runs under a folder lock shared by threads and processes;
 * its version is the sha256 of its content.
 */
public final class LocalFolderSnapshotStore implements SnapshotStore {
    private static final String TMP = ".tmp-";

    private final Path root;
    private final FolderLock lock;

    public LocalFolderSnapshotStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.lock = new FolderLock(this.root);
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new StoreException("cannot create snapshot folder " + this.root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void putIfAbsent(String key, InputStream body, long length) {
        Path target = resolve(key);
        Path tmp = target.resolveSibling(TMP + UUID.randomUUID());
        try {
            writeTemp(key, body, length, tmp);
            Durable.sync(tmp);
            Files.createLink(target, tmp);
            Durable.syncDirectory(target.getParent());
        } catch (FileAlreadyExistsException e) {
            throw new ObjectExistsException(key);
        } catch (IOException e) {
            throw new StoreException("cannot write " + key + " to " + describe() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    @Override
    public void replace(String key, InputStream body, long length) {
        Path target = resolve(key);
        Path tmp = target.resolveSibling(TMP + UUID.randomUUID());
        try {
            writeTemp(key, body, length, tmp);
            Durable.replace(tmp, target);
        } catch (IOException e) {
            throw new StoreException("cannot write " + key + " to " + describe() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Writes exactly {@code length} bytes to the temp file beside the object (hidden from list). */
    private static void writeTemp(String key, InputStream body, long length, Path tmp) throws IOException {
        Files.createDirectories(tmp.getParent());
        try (OutputStream out = Files.newOutputStream(tmp)) {
            io.tidemark.core.store.ExactLength.copy(key, body, length, out);
        }
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(resolve(key),
                    java.nio.file.attribute.BasicFileAttributes.class);
            return Optional.of(new ObjectStat(a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("cannot stat " + key + " in " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(resolve(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StoreException("cannot read " + key + " from " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Versioned> read(String key) {
        try {
            byte[] content = Files.readAllBytes(resolve(key));
            return Optional.of(new Versioned(content, Hashing.sha256(content)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("cannot read " + key + " from " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String compareAndSet(String key, byte[] content, String expectedVersion) {
        Path target = resolve(key);
        return lock.with(() -> {
            Optional<Versioned> current = read(key);
            if (expectedVersion == null && current.isPresent()) {
                throw new PreconditionFailedException(key, "it already exists");
            }
            if (expectedVersion != null && current.map(v -> !v.version().equals(expectedVersion)).orElse(true)) {
                throw new PreconditionFailedException(key, current.isEmpty() ? "it no longer exists"
                        : "it changed since it was read");
            }
            Path tmp = target.resolveSibling(TMP + UUID.randomUUID());
            try {
                Files.createDirectories(target.getParent());
                Files.write(tmp, content);
                Durable.replace(tmp, target);
                return Hashing.sha256(content);
            } catch (IOException e) {
                throw new StoreException("cannot write " + key + " to " + describe() + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(tmp);
            }
        });
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                boolean hidden = rel.startsWith(".") || rel.contains("/.");
                if (!hidden && rel.startsWith(prefix)) {
                    keys.add(rel);
                }
            });
        } catch (IOException e) {
            throw new StoreException("cannot list " + describe() + ": " + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void delete(String key) {
        Path p = resolve(key);
        try {
            Files.deleteIfExists(p);
            // Remove folders the delete emptied, never the root.
            for (Path dir = p.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        break;
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (NoSuchFileException ignored) {
            // already gone
        } catch (IOException e) {
            throw new StoreException("cannot delete " + key + " from " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** Temp files of writes whose process died before the rename ({@code .tmp-*}, hidden from list). */
    @Override
    public int removeAbandoned(java.time.Instant before) {
        int removed = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.getFileName().toString().startsWith(TMP) && Files.isRegularFile(f)).toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
                    deleteQuietly(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot look for abandoned writes in " + describe() + ": " + e.getMessage(), e);
        }
        return removed;
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    private Path resolve(String key) {
        Path p = root.resolve(key).normalize();
        if (key.isEmpty() || key.startsWith("/") || !p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("key '" + key + "' is outside the store " + root);
        }
        return p;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is hidden from list() and harmless
        }
    }

    /** For tests that simulate damage; not part of the store's contract. */
    public Path pathOf(String key) {
        return resolve(key);
    }

}
