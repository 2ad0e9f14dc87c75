package io.tidemark.core.restore;

import com.github.luben.zstd.ZstdInputStream;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.Durable;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.ProgressInputStream;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreLayout;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Restores a snapshot's database to a path: streams it from the store, checks the sha256 of both the
 * compressed object and the raw file, writes beside the target, fsyncs and renames over it, and drops
 * a stale {@code -wal}/{@code -shm}. A failed restore leaves the target as it was.
 */
public final class Restorer {
    private Restorer() {}

    /** Restores {@code manifest}'s database over {@code target}. */
    public static void restore(SnapshotStore store, Manifest manifest, Path target, Progress progress) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(target.getFileName() + ".restore-" + manifest.id());
        try {
            Files.createDirectories(dir);
            download(store, manifest, tmp, progress);
            Durable.replace(tmp, target);
            Files.deleteIfExists(dir.resolve(target.getFileName() + "-wal"));
            Files.deleteIfExists(dir.resolve(target.getFileName() + "-shm"));
            Files.deleteIfExists(dir.resolve(target.getFileName() + "-journal"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore snapshot " + manifest.id() + " to " + target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temp file is harmless; the next restore replaces it
            }
        }
    }

    /**
     * Downloads and decompresses the snapshot's database to {@code dest}, verifying both hashes.
     * Throws {@link CorruptSnapshotException} naming the snapshot on any mismatch; {@code dest} is
     * then deleted.
     */
    public static void download(SnapshotStore store, Manifest manifest, Path dest, Progress progress) {
        String key = StoreLayout.databaseKey(manifest.id());
        MessageDigest zstDigest = Hashing.sha256();
        MessageDigest rawDigest = Hashing.sha256();
        long raw = 0;
        try (InputStream object = store.open(key);
             InputStream counted = new ProgressInputStream(object, "download", manifest.db().bytes(), progress);
             InputStream hashed = new DigestInputStream(new BufferedInputStream(counted, 1 << 20), zstDigest);
             ZstdInputStream unzipped = new ZstdInputStream(hashed);
             OutputStream out = Files.newOutputStream(dest)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = unzipped.read(buf)) > 0; ) {
                rawDigest.update(buf, 0, n);
                out.write(buf, 0, n);
                raw += n;
            }
            // Drain anything after the zstd frame so the object hash covers every byte stored.
            hashed.transferTo(OutputStream.nullOutputStream());
        } catch (com.github.luben.zstd.ZstdIOException e) {
            deleteQuietly(dest);
            throw new CorruptSnapshotException("snapshot " + manifest.id() + ": " + key + " in " + store.describe()
                    + " is not valid zstd: " + e.getMessage(), e);
        } catch (IOException e) {
            // Reading the store or writing dest (a full disk, say): nothing was replaced.
            deleteQuietly(dest);
            throw new UncheckedIOException("snapshot " + manifest.id() + ": cannot copy " + key + " from "
                    + store.describe() + " to " + dest + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(dest);
            throw e;
        }
        String zstSha = Hashing.hex(zstDigest);
        String rawSha = Hashing.hex(rawDigest);
        if (!zstSha.equals(manifest.db().sha256())) {
            deleteQuietly(dest);
            throw new CorruptSnapshotException("snapshot " + manifest.id() + ": " + key + " has sha256 " + zstSha
                    + " but the manifest records " + manifest.db().sha256());
        }
        if (!rawSha.equals(manifest.db().rawSha256()) || raw != manifest.db().rawBytes()) {
            deleteQuietly(dest);
            throw new CorruptSnapshotException("snapshot " + manifest.id() + ": database decompresses to sha256 "
                    + rawSha + " (" + raw + " bytes) but the manifest records " + manifest.db().rawSha256()
                    + " (" + manifest.db().rawBytes() + " bytes)");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
