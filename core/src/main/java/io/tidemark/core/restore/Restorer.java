package io.tidemark.core.restore;

import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.DigestThread;
import io.tidemark.core.snapshot.Durable;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.ProgressInputStream;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreLayout;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
            install(tmp, target);
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
     * Puts a finished database file in place: fsync, atomic rename over {@code target}, then drop
     * the target's stale {@code -wal}/{@code -shm}/{@code -journal}, which belong to the old file.
     */
    static void install(Path tmp, Path target) throws IOException {
        Durable.replace(tmp, target);
        io.tidemark.core.snapshot.Sqlite.deleteSidecars(target);
    }

    /**
     * Rebuilds the snapshot's database at {@code dest}: the chain's full database, then each page
     * set over it in order, checking every object's sha256 and, at the end, the sha256 and length of
     * the whole database. Throws {@link CorruptSnapshotException} naming the snapshot on any
     * mismatch; {@code dest} is then deleted.
     */
    public static void download(SnapshotStore store, Manifest manifest, Path dest, Progress progress) {
        download(store, manifest, dest, progress, true);
    }

    /**
     * As {@link #download}, for a builder's base, which it changes and hashes again anyway: a
     * snapshot stored as one full layer is not hashed raw (about 0.5 s per GB on one core), since the
     * object's sha256 and zstd's per-frame checksums already vouch for every byte it decodes to. A
     * chain is still checked whole: only that hash proves the page sets patched the right pages.
     */
    public static void fetchBase(SnapshotStore store, Manifest manifest, Path dest, Progress progress) {
        download(store, manifest, dest, progress, false);
    }

    private static void download(SnapshotStore store, Manifest manifest, Path dest, Progress progress,
                                 boolean hashWhole) {
        java.util.List<Manifest.Layer> chain = manifest.chain();
        try {
            boolean whole = chain.size() == 1;
            long raw;
            String rawSha;
            if (whole) {
                String[] sha = new String[1];
                raw = copyFull(store, manifest, chain.get(0), dest, progress, sha, hashWhole);
                rawSha = hashWhole ? sha[0] : manifest.db().rawSha256();
            } else {
                ChainRebuild.Rebuilt rebuilt = ChainRebuild.rebuild(store, manifest, dest, progress);
                raw = rebuilt.bytes();
                rawSha = rebuilt.sha256();
            }
            if (!rawSha.equals(manifest.db().rawSha256()) || raw != manifest.db().rawBytes()) {
                throw new CorruptSnapshotException("snapshot " + manifest.id() + ": database " + (whole ? "decompresses"
                        : "rebuilt from " + chain.size() + " layers comes") + " to sha256 " + rawSha + " (" + raw
                        + " bytes) but the manifest records " + manifest.db().rawSha256() + " ("
                        + manifest.db().rawBytes() + " bytes)");
            }
        } catch (IOException e) {
            // Reading the store or writing dest (a full disk, say): nothing was replaced.
            deleteQuietly(dest);
            throw new UncheckedIOException("snapshot " + manifest.id() + ": cannot rebuild its database from "
                    + store.describe() + " at " + dest + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(dest);
            throw e;
        }
    }

    /** Decompresses a full layer to {@code dest}, checking the object's sha256; returns the raw length. */
    private static long copyFull(SnapshotStore store, Manifest manifest, Manifest.Layer layer, Path dest,
                                 Progress progress, String[] rawSha, boolean hashRaw) throws IOException {
        String key = layer.key();
        MessageDigest zstDigest = Hashing.sha256();
        long raw = 0;
        try (InputStream object = store.open(key);
             InputStream counted = new ProgressInputStream(object, "download", layer.bytes(), progress);
             BufferedInputStream buffered = new BufferedInputStream(counted, 1 << 20);
             FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE);
             DigestThread hasher = new DigestThread(hashRaw)) {
            // Frames decode and write on both cores; the sha256 runs on one more thread.
            raw = FrameInflater.inflate(buffered, zstDigest, Patcher.plain(out), hasher, FrameInflater.workers());
            rawSha[0] = hasher.finish();
        } catch (com.github.luben.zstd.ZstdIOException | CorruptSnapshotException e) {
            throw new CorruptSnapshotException("snapshot " + manifest.id() + ": " + key + " in " + store.describe()
                    + " is not valid zstd: " + e.getMessage(), e);
        }
        checkObject(store, manifest, key, Hashing.hex(zstDigest), layer.sha256());
        return raw;
    }

    private static void checkObject(SnapshotStore store, Manifest manifest, String key, String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new CorruptSnapshotException("snapshot " + manifest.id() + ": " + key + " in " + store.describe()
                    + " has sha256 " + actual + " but the manifest records " + expected);
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
