package io.tidemark.cli;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.SnapshotCommitter;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.restore.DatabaseDigest;
import io.tidemark.core.restore.RecoveryPlan;
import io.tidemark.core.restore.Verifier;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.fixtures.nats.NatsServerProcess;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.fixtures.workload.WorkloadSchema;
import io.tidemark.replica.Replica;
import io.tidemark.replica.TidemarkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidemark demo}: the whole cycle on one machine with an embedded nats-server and a local
 * folder. Seeds a cluster from a schema, publishes changes, builds a snapshot, publishes more, builds
 * an incremental one on it, restores a fresh replica from HEAD and replays the rest, and checks that
 * it equals a replica that replayed every change from sequence 1.
 */
@Command(name = "demo", description = "Run the snapshot cycle on an embedded nats-server and a local folder")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", description = "where to put the demo's files; default ./.tidemark/demo-<time>")
    Path dir;

    @Option(names = "--changes", defaultValue = "50000", description = "changes per round; default 50000")
    long changes;

    @Option(names = "--shards", defaultValue = "2", description = "shards; default 2")
    int shards;

    @Option(names = "--compress", defaultValue = "true", arity = "1", description = "zstd streams; default true")
    boolean compress;

    @Option(names = "--seed", defaultValue = "42", description = "workload seed; default 42")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path root = dir != null ? dir : Path.of(".tidemark", "demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(root);
        ClusterConfig cluster = ClusterConfig.defaults().withShards(shards).withCompressed(compress)
                .withMaxEntries(10 * changes);
        say("Tidemark demo in %s (%d shards, %s streams)", root.toAbsolutePath(), shards,
                compress ? "zstd-compressed" : "plain");
        try (NatsServerProcess nats = NatsServerProcess.start(root.resolve("nats"))) {
            say("1. nats-server with JetStream on %s", nats.url());
            TidemarkConfig config = TidemarkConfig.builder().cluster(cluster).natsUrls(List.of(nats.url()))
                    .storeDir(root.resolve("store")).workDir(root.resolve("work"))
                    .dbPath(root.resolve("restored/replica.db")).build();
            try (Wiring w = new Wiring(config)) {
                SnapshotCommitter.Committed seed0 = w.publisher().seedFromSchema(WorkloadSchema.SQL);
                say("2. seeded %s from the schema: %d empty tables at position 0", seed0.manifest().id(),
                        seed0.manifest().tables().size());

                WorkloadGenerator gen = new WorkloadGenerator(cluster, seed);
                publish(w, cluster, gen, "3.");
                BuildResult first = w.builder(Progress.NONE).build(Trigger.MANUAL, false);
                say("4. build: %s", Output.describe(first));
                if (first.outcome() != BuildResult.Outcome.CREATED) {
                    return 1;
                }
                publish(w, cluster, gen, "5.");
                BuildResult second = w.builder(Progress.NONE).build(Trigger.MANUAL, false);
                say("6. incremental build: %s", Output.describe(second));
                if (second.outcome() != BuildResult.Outcome.CREATED) {
                    return 1;
                }
                long tail = changes / 5;
                WorkloadPublisher.publish(w.nats(), cluster, gen::next, tail);
                say("7. published %,d more changes that no snapshot holds yet", tail);

                long t0 = System.nanoTime();
                Map<String, DatabaseDigest.TableDigest> restored;
                try (Replica replica = new Replica(config, w.source(), w.store, w.leases, Progress.NONE)) {
                    RecoveryPlan.Decision d = replica.recover();
                    long applied = replica.catchUp();
                    restored = digest(config.dbPath());
                    say("8. fresh replica: %s -> restored HEAD, replayed %,d changes; %d ms", d.reason(), applied,
                            (System.nanoTime() - t0) / 1_000_000);
                }

                Path fullDb = root.resolve("full/replica.db");
                Files.createDirectories(fullDb.getParent());
                try (Connection c = Sqlite.open(fullDb)) {
                    io.tidemark.core.snapshot.SqlScript.run(c, WorkloadSchema.SQL);
                    // Tidemark's positions at 0: the reference replays from seq 1 (no position
                    // table would make it an unknown file, which a replica sets aside for HEAD).
                    io.tidemark.core.replay.PositionTable.createAtStart(c);
                }
                TidemarkConfig fullConfig = TidemarkConfig.builder().cluster(cluster).natsUrls(List.of(nats.url()))
                        .storeDir(root.resolve("store")).workDir(root.resolve("work")).dbPath(fullDb).build();
                long t1 = System.nanoTime();
                Map<String, DatabaseDigest.TableDigest> full;
                try (Replica replica = new Replica(fullConfig, w.source(), w.store, w.leases, Progress.NONE)) {
                    if (replica.recover().restore()) {
                        throw new IllegalStateException("the reference replica restored HEAD instead of replaying"
                                + " from seq 1: the comparison would prove nothing");
                    }
                    long applied = replica.catchUp();
                    full = digest(fullDb);
                    say("9. reference replica replayed all %,d changes from seq 1; %d ms", applied,
                            (System.nanoTime() - t1) / 1_000_000);
                }

                Verifier.Verification v = Verifier.verifyHead(w.store, config.workDir());
                say("10. HEAD verify: %s", v.ok() ? "ok " + v.tables() : "FAILED " + v.problem());
                boolean equal = restored.equals(full);
                long rows = full.values().stream().mapToLong(DatabaseDigest.TableDigest::rows).sum();
                for (Map.Entry<String, DatabaseDigest.TableDigest> e : full.entrySet()) {
                    DatabaseDigest.TableDigest r = restored.get(e.getKey());
                    say("    %-10s %,8d rows  sha256 %s  %s", e.getKey(), e.getValue().rows(),
                            e.getValue().sha256().substring(0, 16), e.getValue().equals(r) ? "equal" : "DIFFERENT");
                }
                say(equal ? "RESULT: restored replica equals the full replay, row for row (%,d rows)"
                        : "RESULT: restored replica DIFFERS from the full replay (%,d rows)", rows);
                return equal && v.ok() ? 0 : 1;
            }
        }
    }

    private void publish(Wiring w, ClusterConfig cluster, WorkloadGenerator gen, String step) {
        long t0 = System.nanoTime();
        WorkloadPublisher.publish(w.nats(), cluster, gen::next, changes);
        double secs = (System.nanoTime() - t0) / 1e9;
        say("%s published %,d HarmonyLite changes in %.1f s (%,.0f/s)", step, changes, secs, changes / secs);
    }

    private static Map<String, DatabaseDigest.TableDigest> digest(Path db) throws Exception {
        try (Connection c = Sqlite.open(db)) {
            return DatabaseDigest.of(c);
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
