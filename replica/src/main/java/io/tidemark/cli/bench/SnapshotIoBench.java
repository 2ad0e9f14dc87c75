package io.tidemark.cli.bench;

import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.restore.Restorer;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.SnapshotFile;
import io.tidemark.core.snapshot.SnapshotWriter;
import io.tidemark.core.snapshot.SqlScript;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Snapshot write and restore of a large database beside {@code cp} of the same file, and the
 * builder's peak RSS on it, measured in a child JVM so the figure is the build's alone.
 */
final class SnapshotIoBench {
    private SnapshotIoBench() {}

    /** A database of about {@code mb} megabytes in the workload schema (text, blobs, reals, times). */
    static Path makeDatabase(Path dir, int mb) throws Exception {
        Path db = dir.resolve("large.db");
        Files.deleteIfExists(db);
        long rows = mb * 1_048_576L / 800;
        try (Connection c = Sqlite.openScratch(db)) {
            SqlScript.run(c, WorkloadSchema.SQL);
            Sqlite.exec(c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ")"
                    + " INSERT INTO users (id, name, email, balance, avatar, created_at)"
                    + " SELECT i, printf('%.300c', char(97 + i % 26)) || hex(randomblob(48)), 'u' || i || '@example.com',"
                    + " i * 0.37, randomblob(200), '2024-01-01 00:00:00+00:00' FROM n");
        }
        return db;
    }

    static void writeAndRestore(Path dir, Figures out, Path db) throws Exception {
        Files.createDirectories(dir);
        long size = Files.size(db);
        double cp = cp(db, dir.resolve("cp-copy.db"));
        long t0 = System.nanoTime();
        SnapshotFile file;
        try (Connection c = Sqlite.open(db)) {
            file = SnapshotWriter.defaults().write(c, dir.resolve("snapshot-out"));
        }
        double write = (System.nanoTime() - t0) / 1e9;
        out.note(String.format("database %.0f MB; snapshot %.0f MB compressed (%.2fx)", size / 1e6, file.bytes() / 1e6,
                (double) size / file.bytes()));
        out.add("snapshot write (VACUUM INTO..zstd)", write, "s", "cp of the same file", cp, "<= 3x cp");

        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("io-store"));
        String id = "20260101T000000Z-" + file.rawSha256().substring(0, 12);
        try (InputStream in = Files.newInputStream(file.compressed())) {
            store.putIfAbsent("snapshots/" + id + "/db.sqlite.zst", in, file.bytes());
        }
        Manifest m = new Manifest(Manifest.FORMAT, id, Instant.now(), "bench", Map.of(), null,
                new Manifest.DbInfo("db.sqlite.zst", "zstd", file.bytes(), file.sha256(), file.rawBytes(),
                        file.rawSha256()), file.schemaHash(), file.tables(), null);
        double cp2 = cp(file.raw(), dir.resolve("cp-restore.db"));
        long t1 = System.nanoTime();
        Restorer.restore(store, m, dir.resolve("restored.db"), Progress.NONE);
        double restore = (System.nanoTime() - t1) / 1e9;
        out.add("restore (fetch..verify..rename)", restore, "s", "cp of the raw file", cp2, "<= 2x cp");
        Files.deleteIfExists(dir.resolve("cp-copy.db"));
        Files.deleteIfExists(dir.resolve("cp-restore.db"));
        Files.deleteIfExists(dir.resolve("restored.db"));
    }

    private static double cp(Path from, Path to) throws Exception {
        Files.deleteIfExists(to);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("cp", from.toString(), to.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("cp failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seeds a cluster from the large database, publishes changes, builds in a child JVM, reads its VmHWM. */
    static void peakMemory(Path dir, Figures out, Path db, long[] builds, String heap) throws Exception {
        try (BenchEnv env = new BenchEnv(dir, "bench-mem", 1, 10_000_000)) {
            env.publisher().seedFromDatabase(db, Map.of());
            WorkloadGenerator gen = new WorkloadGenerator(env.cluster, 3, 64);
            for (long changes : builds) {
                env.publish(gen::next, changes);
                childBuild(env, dir, out, db, changes, heap);
            }
        }
    }

    private static void childBuild(BenchEnv env, Path dir, Figures out, Path db, long changes, String heap)
            throws Exception {
        {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                    BuildOnce.class.getName(), env.nats.url(), env.cluster.streamPrefix(),
                    dir.resolve("store-bench-mem").toString(), dir.resolve("leases-bench-mem").toString(),
                    dir.resolve("work").toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("child build failed:\n" + output);
            }
            List<String> lines = output.lines().filter(l -> l.startsWith("VmHWM") || l.startsWith("result")).toList();
            long kb = Long.parseLong(lines.stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElseThrow()
                    .replaceAll("\\D", ""));
            lines.stream().filter(l -> l.startsWith("result")).forEach(out::note);
            out.add(String.format("builder peak RSS, %,d changes (-Xmx%s, %d MB db)", changes, heap,
                    db.toFile().length() / 1_000_000), kb / 1024.0, "MB", "database size",
                    db.toFile().length() / 1_048_576.0, "<= 300 MB");
        }
    }
}
