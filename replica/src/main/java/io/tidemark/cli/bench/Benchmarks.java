package io.tidemark.cli.bench;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.BuildStep;
import io.tidemark.core.change.ChangeCodec;
import io.tidemark.core.change.ChangeEvent;
import io.tidemark.core.change.ChangeMessage;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.ChangeType;
import io.tidemark.core.change.SeqMap;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.restore.Restorer;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.replica.Replica;
import io.tidemark.replica.TidemarkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Build throughput and replica catch-up, each beside a baseline measured in the same run. The
 * snapshot I/O and memory figures are in {@link SnapshotIoBench}.
 */
final class Benchmarks {
    /** The build's baseline: {@link #rawUpsert}, its better run of two. */
    private static final String RAW_UPSERT = "raw batched SQLite upsert, same rows, best of 2";

    private Benchmarks() {}

    /** Incremental build of {@code changes} on a base of about {@code baseMb}, beside a raw batched upsert. */
    static void build(Path dir, Figures out, long changes, int baseMb) throws Exception {
        try (BenchEnv env = new BenchEnv(dir, "bench-build", 1, 10_000_000)) {
            env.publisher().seedFromSchema(io.tidemark.fixtures.workload.WorkloadSchema.SQL);
            WorkloadGenerator gen = new WorkloadGenerator(env.cluster, 1, 64);
            long baseRows = baseMb * 1_048_576L / 135; // ~135 bytes a row on disk with this payload size
            env.publish(gen::insert, baseRows);
            BuildResult base = env.build();
            Manifest baseManifest = Catalog.headManifest(env.store, Catalog.requireHead(env.store).head()).manifest();
            out.note(String.format("base: %,d rows, %.1f MB raw, built in %,d ms", baseManifest.totalRows(),
                    baseManifest.db().rawBytes() / 1e6, base.millis()));

            env.publish(gen::next, changes);
            BuildResult inc = env.build();
            double rate = inc.changesApplied() / (inc.millis() / 1000.0);
            out.note("incremental build steps (ms): " + inc.stepMillis());

            // Baseline: the same changes, pre-read and pre-decoded, upserted in one batched transaction.
            List<ChangeEvent> events = readAll(env, baseManifest.position(env.cluster.streamName(1)) + 1);
            Path copy = dir.resolve("baseline-build.db");
            Restorer.download(env.store, baseManifest, copy, Progress.NONE);
            // Best of two, each on a fresh copy: the build's code is warm from the base build, the loop's first run is not.
            double raw = rawUpsert(copy, events);
            Restorer.download(env.store, baseManifest, copy, Progress.NONE);
            raw = Math.max(raw, rawUpsert(copy, events));
            out.add("build: stream -> committed snapshot", rate, "changes/s", RAW_UPSERT,
                    raw, ">= 0.8x");
            long replayed = inc.stepMillis().getOrDefault(BuildStep.REPLAYED.name().toLowerCase(), 0L);
            out.add("build: its replay step alone", inc.changesApplied() / (replayed / 1000.0), "changes/s",
                    RAW_UPSERT, raw, "(no target)");
            // The applier alone: the same pre-decoded events, opened and checkpointed as the build does.
            Restorer.download(env.store, baseManifest, copy, Progress.NONE);
            out.add("build: the applier alone, same events", applierAlone(copy, events, env.cluster.streamName(1)),
                    "changes/s", RAW_UPSERT, raw, "(no target)");
            // The replay shares the machine with nats-server and the stream reader; on this VM a busy
            // second core slows a single-threaded loop too. The same upsert beside a spinning thread:
            Restorer.download(env.store, baseManifest, copy, Progress.NONE);
            double busy = besideSpinner(() -> rawUpsert(copy, events));
            out.add("build: stream -> committed snapshot", rate, "changes/s", "same upsert, other core kept busy",
                    busy, "(control)");
        }
    }

    /** Runs {@code work} while a daemon thread spins, keeping a second core busy. */
    private static double besideSpinner(java.util.concurrent.Callable<Double> work) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread spinner = new Thread(() -> {
            long n = 0;
            while (!stop.get()) {
                n++;
            }
            if (n == 42) {
                System.out.print(""); // keeps the loop from being optimised away
            }
        }, "bench-spinner");
        spinner.setDaemon(true);
        spinner.start();
        try {
            return work.call();
        } finally {
            stop.set(true);
            spinner.join();
        }
    }

    private static List<ChangeEvent> readAll(BenchEnv env, long from) {
        List<ChangeEvent> events = new ArrayList<>();
        try (ChangeSource src = new JetStreamChangeSource(env.nc, env.cluster, false);
             ChangeSource.Cursor c = src.open(env.cluster.streamName(1), from)) {
            long last = src.state(env.cluster.streamName(1)).lastSeq();
            long next = from;
            while (next <= last) {
                for (ChangeMessage m : c.next(1000, Duration.ofSeconds(1))) {
                    events.add(ChangeCodec.decode(m.data(), env.cluster.compressed()));
                    next = m.seq() + 1;
                }
            }
        }
        return events;
    }

    /** The build's applier on pre-decoded events, as a build opens the database, commit and checkpoint included. */
    private static double applierAlone(Path db, List<ChangeEvent> events, String stream) throws Exception {
        try (Connection c = Sqlite.openForBuild(db);
             io.tidemark.core.replay.Applier applier = io.tidemark.core.replay.Applier.withPositionsInMemory(c,
                     java.time.ZoneOffset.UTC, Map.of())) {
            long t0 = System.nanoTime();
            long seq = 0;
            for (ChangeEvent e : events) {
                applier.apply(stream, ++seq, e);
            }
            applier.commit();
            Sqlite.exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            return events.size() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** INSERT OR REPLACE / DELETE of pre-decoded events, one transaction, batches of 1,000. */
    private static double rawUpsert(Path db, List<ChangeEvent> events) throws Exception {
        Map<String, PreparedStatement> cache = new HashMap<>();
        try (Connection c = Sqlite.openScratch(db)) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            PreparedStatement current = null;
            int n = 0;
            for (ChangeEvent e : events) {
                List<String> cols = new ArrayList<>(e.type() == ChangeType.DELETE ? keyOf(e) : e.row().keySet());
                cols.sort(null);
                String sql = e.type() == ChangeType.DELETE
                        ? "DELETE FROM " + e.table() + " WHERE " + String.join(" = ? AND ", cols) + " = ?"
                        : "INSERT OR REPLACE INTO " + e.table() + " (" + String.join(", ", cols) + ") VALUES ("
                        + "?, ".repeat(cols.size() - 1) + "?)";
                PreparedStatement ps = cache.get(sql);
                if (ps == null) {
                    ps = c.prepareStatement(sql);
                    cache.put(sql, ps);
                }
                if (ps != current && current != null) {
                    current.executeBatch();
                    n = 0;
                }
                current = ps;
                for (int i = 0; i < cols.size(); i++) {
                    ps.setObject(i + 1, io.tidemark.core.change.GoTime.sqlValue(e.row().get(cols.get(i)), java.time.ZoneOffset.UTC));
                }
                ps.addBatch();
                if (++n == 1000) {
                    ps.executeBatch();
                    n = 0;
                }
            }
            if (current != null) {
                current.executeBatch();
            }
            c.commit();
            return events.size() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static List<String> keyOf(ChangeEvent e) {
        return switch (e.table()) {
            case "users" -> List.of("id");
            case "orders" -> List.of("user_id", "order_no");
            case "audit_log" -> List.of("rowid");
            default -> List.of("k");
        };
    }

    /** Replica catch-up beside HarmonyLite's way: one transaction per change, seq-map rewritten after each. */
    static void catchUp(Path dir, Figures out, long changes, long baselineChanges) throws Exception {
        try (BenchEnv env = new BenchEnv(dir, "bench-catchup", 1, 10_000_000)) {
            env.publisher().seedFromSchema(io.tidemark.fixtures.workload.WorkloadSchema.SQL);
            WorkloadGenerator gen = new WorkloadGenerator(env.cluster, 2, 64);
            env.publish(gen::next, changes);
            TidemarkConfig cfg = TidemarkConfig.builder().cluster(env.cluster)
                    .natsUrls(List.of(env.nats.url())).storeDir(dir.resolve("store-bench-catchup"))
                    .workDir(dir.resolve("work")).dbPath(dir.resolve("catchup/replica.db")).build();
            double rate;
            try (Replica r = new Replica(cfg, new JetStreamChangeSource(env.nc, env.cluster, false), env.store,
                    env.leases, Progress.NONE)) {
                r.recover();
                long t0 = System.nanoTime();
                long n = r.catchUp();
                rate = n / ((System.nanoTime() - t0) / 1e9);
            }
            // Baseline on a fresh copy of the seed, first baselineChanges of the same stream.
            Manifest seed = Catalog.headManifest(env.store, Catalog.requireHead(env.store).head()).manifest();
            Path db = dir.resolve("catchup/baseline.db");
            Restorer.download(env.store, seed, db, Progress.NONE);
            List<ChangeEvent> events = readAll(env, 1).subList(0, (int) baselineChanges);
            double base = perChange(db, events, dir.resolve("catchup/seq-map.cbor"), env.cluster.streamName(1));
            out.add("replica catch-up", rate, "changes/s", "1 txn per change + seq-map rewrite (HL)", base,
                    ">= 50x baseline");
        }
    }

    private static double perChange(Path db, List<ChangeEvent> events, Path seqMap, String stream) throws Exception {
        Map<String, Long> positions = new TreeMap<>();
        try (Connection c = Sqlite.openLive(db)) {
            // HarmonyLite opens its database with _journal_mode=WAL&_sync=FULL (db/sqlite.go).
            Sqlite.exec(c, "PRAGMA synchronous=FULL");
            c.setAutoCommit(true);
            long t0 = System.nanoTime();
            long seq = 0;
            for (ChangeEvent e : events) {
                List<String> cols = new ArrayList<>(e.type() == ChangeType.DELETE ? keyOf(e) : e.row().keySet());
                String sql = e.type() == ChangeType.DELETE
                        ? "DELETE FROM " + e.table() + " WHERE " + String.join(" = ? AND ", cols) + " = ?"
                        : "INSERT OR REPLACE INTO " + e.table() + " (" + String.join(", ", cols) + ") VALUES ("
                        + "?, ".repeat(cols.size() - 1) + "?)";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < cols.size(); i++) {
                        ps.setObject(i + 1, io.tidemark.core.change.GoTime.sqlValue(e.row().get(cols.get(i)), java.time.ZoneOffset.UTC));
                    }
                    ps.executeUpdate();
                }
                positions.put(stream, ++seq);
                // HarmonyLite opens seq-map.cbor with O_SYNC and rewrites it after every change.
                Files.write(seqMap, SeqMap.encode(positions), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SYNC);
            }
            return events.size() / ((System.nanoTime() - t0) / 1e9);
        }
    }

}
