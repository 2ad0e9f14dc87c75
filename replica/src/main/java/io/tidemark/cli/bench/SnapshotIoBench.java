package io.tidemark.cli.bench;

import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.core.build.BuilderJvm;
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
import java.util.ArrayList;
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

    /**
     * Seeds a cluster from the large database, then builds in child JVMs under {@link BuilderJvm}'s
     * options and reads each one's VmHWM. Each child sizes its heap as a function of {@code memoryMb}
     * does ({@code -XX:MaxRAM}: a quarter of it at most, 1/64 to start), since Lambda's JVM sees the
     * function's memory as the machine's. Before the large builds, two builds of the same size on the
     * same warm database, one under Lambda's default JIT and one under the builder's, show what the
     * functions' JAVA_TOOL_OPTIONS are for.
     */
    static void peakMemory(Path dir, Figures out, Path db, long[] builds, int memoryMb) throws Exception {
        String machine = "-XX:MaxRAM=" + memoryMb + "m";
        long dbMb = db.toFile().length() / 1_000_000;
        List<String> builder = new ArrayList<>(BuilderJvm.OPTIONS);
        builder.add(machine);
        List<String> lambda = new ArrayList<>(BuilderJvm.LAMBDA_DEFAULTS);
        lambda.add(machine);
        try (BenchEnv env = new BenchEnv(dir, "bench-mem", 1, 10_000_000)) {
            env.publisher().seedFromDatabase(db, Map.of());
            WorkloadGenerator gen = new WorkloadGenerator(env.cluster, 3, 64);
            env.publish(gen::next, 10_000);
            childBuild(env, dir, builder); // cold: fetches the seed; later builds start warm
            env.publish(gen::next, 10_000);
            Child c1 = childBuild(env, dir, lambda);
            env.publish(gen::next, 10_000);
            Child c2 = childBuild(env, dir, builder);
            out.note("C1 only: " + c1.result());
            out.note("builder: " + c2.result());
            out.add(String.format("10,000 changes on %d MB, Lambda's default JIT (C1)", dbMb),
                    c1.millis() / 1000.0, "s", "same under BuilderJvm (C2)", c2.millis() / 1000.0, "(why the options)");
            // A fresh JVM against one warmed up first, as a SnapStart copy of the Build function starts.
            env.publish(gen::next, 10_000);
            Child fresh = childBuild(env, dir, builder);
            env.publish(gen::next, 10_000);
            Child primed = childBuild(env, dir, builder, "warm-up");
            out.note("fresh JVM: " + fresh.result());
            out.note("after BuilderWarmUp: " + primed.result());
            out.add("10,000 changes, JVM warmed up first", primed.millis() / 1000.0, "s", "same in a fresh JVM",
                    fresh.millis() / 1000.0, "(SnapStart's warm-up)");
            for (long changes : builds) {
                env.publish(gen::next, changes);
                Child c = childBuild(env, dir, builder);
                out.note(c.result());
                out.add(String.format("builder peak RSS, %,d changes (%s, %d MB db)", changes, String.join(" ", builder),
                        dbMb), c.rssMb(), "MB", "database size",
                        db.toFile().length() / 1_048_576.0, "<= 300 MB");
            }
        }
    }

    /** What one child build printed: its result line, its build time and its peak RSS. */
    private record Child(String result, long millis, double rssMb) {}

    private static Child childBuild(BenchEnv env, Path dir, List<String> jvm, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BuildOnce.class.getName(), env.nats.url(),
                env.cluster.streamPrefix(), dir.resolve("store-bench-mem").toString(),
                dir.resolve("leases-bench-mem").toString(), dir.resolve("work").toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("child build failed:\n" + output);
        }
        String result = line(output, "result");
        long kb = Long.parseLong(line(output, "VmHWM").replaceAll("\\D", ""));
        long millis = Long.parseLong(line(output, "millis").replaceAll("\\D", ""));
        return new Child(result, millis, kb / 1024.0);
    }

    private static String line(String output, String prefix) throws IOException {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new IOException("child build printed no " + prefix + " line:\n" + output));
    }
}
