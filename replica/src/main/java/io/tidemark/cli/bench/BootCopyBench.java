package io.tidemark.cli.bench;

import io.tidemark.core.build.ChunkHashes;
import io.tidemark.core.build.LayerPolicy;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What rewriting {@code snapshot.db} on S3 sends when it is composed from the previous copy's
 * unchanged 8 MiB chunks (UploadPartCopy) instead of uploaded whole: the chunks a build's changes
 * touch in the warm database, for the workload generator's changes (new rows, and updates of
 * them: the file grows at its end) and for updates of random existing rows (scattered pages).
 */
final class BootCopyBench {
    private BootCopyBench() {}

    static void run(Path dir, Figures out, int mb, long changes) throws Exception {
        Files.createDirectories(dir);
        Path db = SnapshotIoBench.makeDatabase(dir, mb);
        long rows = mb * 1_048_576L / 800; // as makeDatabase fills users
        try (BenchEnv env = new BenchEnv(dir, "bench-bootcopy", 1, 100_000_000)) {
            env.publisher().seedFromDatabase(db, Map.of());
            Files.delete(db);
            WorkloadGenerator gen = new WorkloadGenerator(env.cluster, 7, 64);
            Path work = dir.resolve("work");
            env.publish(gen::next, changes);
            PageBuildBench.build(env, work, LayerPolicy.DEFAULT);
            Path warm = warmFile(work);
            ChunkHashes before = ChunkHashes.of(warm, ChunkHashes.DEFAULT_CHUNK);
            env.publish(gen::next, changes);
            PageBuildBench.build(env, work, LayerPolicy.DEFAULT);
            report(out, String.format("snapshot.db after %,d generator changes", changes), before,
                    ChunkHashes.of(warm, ChunkHashes.DEFAULT_CHUNK));

            Path scattered = dir.resolve("scattered.db");
            Files.copy(warm, scattered, StandardCopyOption.REPLACE_EXISTING);
            ChunkHashes copy = ChunkHashes.of(scattered, ChunkHashes.DEFAULT_CHUNK);
            updateRandomRows(scattered, rows, changes);
            report(out, String.format("snapshot.db after %,d random-row updates", changes), copy,
                    ChunkHashes.of(scattered, ChunkHashes.DEFAULT_CHUNK));
            Files.delete(scattered);
        }
    }

    private static void report(Figures out, String what, ChunkHashes old, ChunkHashes now) {
        BitSet same = now.sameAs(old);
        long sent = 0;
        for (int i = 0; i < now.sha256().size(); i++) {
            if (!same.get(i)) {
                sent += now.length(i);
            }
        }
        out.note(String.format("%s: %d of %d chunks of 8 MiB changed", what, now.sha256().size() - same.cardinality(),
                now.sha256().size()));
        out.add(what + ", sent composed", sent / 1e6, "MB", "whole upload", now.fileBytes() / 1e6, "lower is better");
    }

    private static void updateRandomRows(Path db, long rows, long n) throws Exception {
        Random random = new Random(11);
        try (Connection c = Sqlite.open(db)) {
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement("UPDATE users SET balance = balance + 1 WHERE id = ?")) {
                for (long i = 0; i < n; i++) {
                    update.setLong(1, 1 + (long) (random.nextDouble() * rows));
                    update.addBatch();
                }
                update.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            Sqlite.exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** The builder's warm database ({@code <work>/warm-<cluster>/db.sqlite}). */
    private static Path warmFile(Path work) throws Exception {
        try (Stream<Path> files = Files.walk(work)) {
            return files.filter(p -> p.getFileName().toString().equals("db.sqlite")
                    && p.getParent().getFileName().toString().startsWith("warm-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no warm database under " + work));
        }
    }
}
