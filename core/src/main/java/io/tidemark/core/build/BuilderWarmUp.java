package io.tidemark.core.build;

import io.tidemark.core.change.ChangeCodec;
import io.tidemark.core.change.ChangeDecoder;
import io.tidemark.core.change.ChangeType;
import io.tidemark.core.replay.Applier;
import io.tidemark.core.snapshot.PageHashes;
import io.tidemark.core.snapshot.Sqlite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a build's hot paths once on made-up changes in a scratch database (decode, bind, apply, commit,
 * hash and fingerprint), so the JIT has compiled them before the first real build. A Lambda function runs it before
 * its SnapStart checkpoint: the compiled code is part of the snapshot, and every restored copy starts
 * its first build warm instead of interpreting the replay. Touches nothing but its own scratch
 * directory, which it deletes.
 */
public final class BuilderWarmUp {
    /** Enough for the replay's loops to reach C2 (10,000 invocations or loop iterations). */
    public static final int CHANGES = 30_000;
    /** Hashed and fingerprinted in all, so the SHA-256 and CRC loops are compiled with their intrinsics. */
    private static final long HASH_BYTES = 64L << 20;
    private static final String TABLE = "warm_up";

    private BuilderWarmUp() {}

    /** Runs the warm-up in a new directory under {@code scratch}; returns the changes it applied. */
    public static long run(Path scratch) {
        Path dir;
        try {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, "warm-up-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the warm-up's scratch directory in " + scratch, e);
        }
        try {
            Path db = dir.resolve("warm-up.sqlite");
            try (Connection c = Sqlite.openScratch(db)) {
                Sqlite.exec(c, "CREATE TABLE " + TABLE + " (id INTEGER PRIMARY KEY, name TEXT, at DATETIME, score REAL,"
                        + " data BLOB)");
            }
            PageHashes before = PageHashes.scan(db);
            long applied = replay(db);
            long hashed = 0;
            while (hashed < HASH_BYTES) {
                PageHashes.scan(db, before, new BitSet()); // as a build finds its changed pages
                hashed += Files.size(db);
            }
            return applied;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("the builder's warm-up failed in " + dir + ": " + e.getMessage(), e);
        } finally {
            Scratch.delete(dir);
        }
    }

    /** Changes as a node sends them (compressed), decoded and applied as a build does. */
    private static long replay(Path db) throws SQLException {
        try (Connection c = Sqlite.openForBuild(db);
             Applier applier = Applier.withPositionsInMemory(c, ZoneOffset.UTC, Map.of());
             ChangeDecoder decoder = new ChangeDecoder(true)) {
            for (int seq = 1; seq <= CHANGES; seq++) {
                long id = seq % 5_000; // updates and deletes of rows inserted before
                ChangeType type = seq % 7 == 0 ? ChangeType.DELETE : seq <= 5_000 ? ChangeType.INSERT : ChangeType.UPDATE;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", id);
                row.put("name", "row " + id);
                row.put("at", Instant.ofEpochSecond(1_700_000_000L + seq));
                row.put("score", seq / 7.0);
                row.put("data", new byte[] {(byte) seq, (byte) (seq >> 8)});
                byte[] message = ChangeCodec.encode(1, seq, type, TABLE, row, null, true);
                applier.apply("warm-up", seq, decoder.decode(message));
            }
            applier.commit();
            return applier.applied();
        }
    }
}
