package io.tidemark.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Writes a snapshot of a live or scratch database: {@code VACUUM INTO} a new file; if it carries
 * HarmonyLite's or Tidemark's bookkeeping, drop it and {@code VACUUM INTO} once more (rowids kept);
 * {@code PRAGMA quick_check}; count rows; then hash and compress in one pass over the file.
 */
public final class SnapshotWriter {
    /** Level 1 with two workers: twice level 3's speed here for a 1% larger file (BENCHMARKS.md). */
    public static final int DEFAULT_LEVEL = 1;
    /**
     * Raw bytes per zstd frame of a whole database: a whole number of pages of any page size. Big
     * enough that a frame costs nothing in ratio (level 1's window is far smaller) and a JNI call per
     * frame is nothing; small enough that the frames in flight stay a few tens of MiB (BENCHMARKS.md).
     */
    public static final int FRAME_BYTES = 8 << 20;
    private final int level;
    private final int workers;
    private final int frameBytes;

    public SnapshotWriter(int level, int workers) {
        this(level, workers, FRAME_BYTES);
    }

    /** {@code frameBytes}: raw bytes per zstd frame, a multiple of 65536 (the largest page size). */
    public SnapshotWriter(int level, int workers, int frameBytes) {
        if (frameBytes <= 0 || frameBytes % 65536 != 0) {
            throw new IllegalArgumentException("frame size " + frameBytes + " is not a positive multiple of 65536");
        }
        this.level = level;
        this.workers = Math.max(1, workers);
        this.frameBytes = frameBytes;
    }

    /** The zstd level. */
    public int level() {
        return level;
    }

    public static SnapshotWriter defaults() {
        // At most 4: two frames per worker are in flight, and a builder's heap is small.
        return new SnapshotWriter(DEFAULT_LEVEL, Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors())));
    }

    /**
     * Writes {@code outDir/db.sqlite} and {@code outDir/db.sqlite.zst}. The source connection must
     * have no uncommitted work (it is committed). Throws {@link CorruptSnapshotException} when the copy fails its check.
     */
    public SnapshotFile write(Connection source, Path outDir) {
        Path zst = outDir.resolve("db.sqlite.zst");
        try {
            Path raw = vacuumCopy(source, outDir);
            Files.deleteIfExists(zst);
            // SQLite's checks and the compression both only read the copy: run them side by side.
            CompletableFuture<Checked> checked = CompletableFuture.supplyAsync(() -> check(raw));
            Compressed compressed = compress(raw, zst);
            Checked c = join(checked);
            return new SnapshotFile(raw, compressed.rawBytes, compressed.rawSha256, zst, compressed.bytes,
                    compressed.sha256, c.tables, c.schemaHash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot into " + outDir, e);
        }
    }

    /**
     * What {@link #copy} made: the checked copy, its size and sha256, to be compressed while it
     * uploads, and its page fingerprints (taken in the sha256's pass; null when not taken).
     */
    public record Copied(Path raw, long rawBytes, String rawSha256, Checked checked, PageHashes pages) {
        public Copied(Path raw, long rawBytes, String rawSha256, Checked checked) {
            this(raw, rawBytes, rawSha256, checked, null);
        }
    }

    /**
     * As {@link #write}, without the compressed file: {@code outDir/db.sqlite} checked and hashed,
     * for {@link #compressing} straight into an upload.
     */
    public Copied copy(Connection source, Path outDir) {
        try {
            return examine(vacuumCopy(source, outDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot into " + outDir, e);
        }
    }

    /**
     * {@code raw} checked ({@link #check}) and hashed, side by side (both only read it), for
     * {@link #compressing} straight into an upload.
     */
    private static Copied examine(Path raw) throws IOException {
        CompletableFuture<Checked> checked = CompletableFuture.supplyAsync(() -> check(raw));
        PageHashes pages = PageHashes.scan(raw);
        return new Copied(raw, Files.size(raw), pages.sha256(), join(checked), pages);
    }

    /** {@code VACUUM INTO outDir/db.sqlite}, without HarmonyLite's bookkeeping. */
    private static Path vacuumCopy(Connection source, Path outDir) throws IOException {
        Path raw = outDir.resolve("db.sqlite");
        try {
            Files.createDirectories(outDir);
            Files.deleteIfExists(raw);
            vacuumInto(source, raw);
            if (hasBookkeeping(raw)) {
                // Drop it in a first copy, then VACUUM INTO again: a plain VACUUM would renumber the
                // rowids of tables without an INTEGER PRIMARY KEY, and changes address rows by rowid.
                Path first = outDir.resolve("db.sqlite.with-bookkeeping");
                Files.move(raw, first);
                try (Connection c = Sqlite.open(first)) {
                    dropBookkeeping(c);
                    vacuumInto(c, raw);
                }
                Files.delete(first);
            }
            return raw;
        } catch (SQLException e) {
            if (io.tidemark.core.replay.ReplayException.isFull(e)) {
                throw new UncheckedIOException("disk full writing the snapshot into " + outDir.toAbsolutePath()
                        + ": free space there or point work_dir at a larger disk", new IOException(e.getMessage(), e));
            }
            throw new CorruptSnapshotException("cannot write snapshot into " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** VACUUM cannot run inside a transaction; the JDBC driver keeps one open unless autocommit is on. */
    /** {@code VACUUM INTO raw}: a consistent copy of a live or scratch database; {@code raw} must not exist. */
    public static void vacuumInto(Connection source, Path raw) throws SQLException {
        boolean autoCommit = source.getAutoCommit();
        if (!autoCommit) {
            source.setAutoCommit(true);
        }
        try (PreparedStatement ps = source.prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, raw.toAbsolutePath().toString());
            ps.execute();
        } finally {
            if (!autoCommit) {
                source.setAutoCommit(false);
            }
        }
    }

    private static boolean hasBookkeeping(Path db) throws SQLException {
        try (Connection c = Sqlite.open(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master")) {
            while (rs.next()) {
                if (Sqlite.isInternal(rs.getString(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void dropBookkeeping(Connection c) throws SQLException {
        List<String> drops = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT type, name FROM sqlite_master WHERE type IN ('trigger','view','table') ORDER BY"
                        + " CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 ELSE 2 END")) {
            while (rs.next()) {
                if (Sqlite.isInternal(rs.getString(2))) {
                    drops.add("DROP " + rs.getString(1).toUpperCase() + " IF EXISTS \""
                            + rs.getString(2).replace("\"", "\"\"") + "\"");
                }
            }
        }
        Sqlite.exec(c, drops.toArray(String[]::new));
    }

    /** Hash of the user schema, so replicas can tell a schema change between snapshots. */
    public static String schemaHash(Connection c) throws SQLException {
        MessageDigest d = Hashing.sha256();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")) {
            while (rs.next()) {
                if (!Sqlite.isInternal(rs.getString(2))) {
                    d.update((rs.getString(1) + "\0" + rs.getString(2) + "\0" + rs.getString(3) + "\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return Hashing.hex(d);
    }

    /** What {@link #check} found: row counts and the schema's hash. */
    public record Checked(Map<String, Long> tables, String schemaHash) {}

    /** What {@link #compress} wrote: the raw file's size and hash, the compressed file's. */
    public record Compressed(long rawBytes, String rawSha256, long bytes, String sha256) {}

    /**
     * {@code quick_check} of {@code raw} on a thread of its own, for a file whose counts and schema
     * are known: it fails with a {@link CorruptSnapshotException} naming the file. Nothing may
     * write to {@code raw} until it completes.
     */
    public static CompletableFuture<Void> checkBeside(Path raw) {
        return CompletableFuture.runAsync(() -> {
            try (Connection c = Sqlite.open(raw)) {
                // It reads each page once: SQLite's default 2 MB cache checks 50 MB as fast as 64 MiB
                // does (65-69 ms), and leaves the builder's memory alone while the upload runs.
                Sqlite.exec(c, "PRAGMA cache_size=-2000");
                requireQuickCheck(c, "database " + raw);
            } catch (SQLException e) {
                throw new CorruptSnapshotException("quick_check cannot read database " + raw + ": " + e.getMessage(), e);
            }
        }, task -> {
            Thread t = new Thread(task, "quick-check");
            t.setDaemon(true);
            t.start();
        });
    }

    /** {@code quick_check}, row counts and schema hash of a file nothing else writes to. */
    public static Checked check(Path raw) {
        try (Connection copy = Sqlite.open(raw)) {
            requireQuickCheck(copy, "snapshot copy " + raw);
            return new Checked(Sqlite.rowCounts(copy), schemaHash(copy));
        } catch (SQLException e) {
            throw new CorruptSnapshotException("cannot check snapshot copy " + raw + ": " + e.getMessage(), e);
        }
    }

    private static void requireQuickCheck(Connection c, String what) throws SQLException {
        String check = Sqlite.quickCheck(c);
        if (!"ok".equals(check)) {
            throw new CorruptSnapshotException(what + " fails quick_check: " + check);
        }
    }

    /** Waits for {@code f}; a runtime failure in it is thrown as it was, not wrapped. */
    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * One pass: hash the raw bytes, compress, hash the compressed bytes. Scratch output: no fsync.
     * The file is written as independent frames of {@link #frameBytes} raw bytes ({@link FramedZstd}),
     * compressed on {@code workers} threads, so a restore can decompress them on as many.
     */
    public Compressed compress(Path raw, Path zst) throws IOException {
        return FramedZstd.compress(raw, zst, level, workers, frameBytes);
    }

    /**
     * {@code raw} compressed as {@link #compress} writes it, as a stream to read straight into an
     * upload: no compressed file on disk. The caller closes it (which stops its threads).
     */
    public InputStream compressing(Path raw) throws IOException {
        return new FramedZstd(raw, level, workers, frameBytes, false); // its sha256 is taken before the upload
    }
}
