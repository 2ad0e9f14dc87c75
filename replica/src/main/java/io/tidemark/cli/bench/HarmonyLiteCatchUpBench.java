package io.tidemark.cli.bench;

import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.snapshot.SqlScript;
import io.tidemark.fixtures.harmonylite.HarmonyLiteNode;
import io.tidemark.fixtures.harmonylite.HarmonyLiteNodeConfig;
import io.tidemark.fixtures.harmonylite.TableRows;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadSchema;
import io.tidemark.replica.Replica;
import io.tidemark.replica.TidemarkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * Catch-up of one stream by a Tidemark replica and by a real HarmonyLite node, in the same run on
 * the same messages: each starts from the seeded schema at sequence 0 and replays to the head. The
 * node's time runs from its process start until its tables hold exactly what the replica's hold.
 */
final class HarmonyLiteCatchUpBench {
    private HarmonyLiteCatchUpBench() {}

    static void run(Path dir, Figures out, long changes) throws Exception {
        if (Files.exists(dir)) { // a fresh cluster each run
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (BenchEnv env = new BenchEnv(dir, "bench-hl", 1, 10_000_000)) {
            env.publisher().seedFromSchema(WorkloadSchema.SQL);
            env.publish(new WorkloadGenerator(env.cluster, 3, 64)::next, changes);

            Path replicaDb = dir.resolve("tidemark/replica.db");
            TidemarkConfig cfg = TidemarkConfig.builder().cluster(env.cluster).natsUrls(List.of(env.nats.url()))
                    .storeDir(dir.resolve("store-bench-hl")).workDir(dir.resolve("work")).dbPath(replicaDb).build();
            long t0 = System.nanoTime();
            long applied;
            try (Replica r = new Replica(cfg, new JetStreamChangeSource(env.nc, env.cluster, false), env.store,
                    env.leases, Progress.NONE)) {
                r.recover();
                applied = r.catchUp();
            }
            double tidemark = applied / ((System.nanoTime() - t0) / 1e9);
            Map<String, List<String>> expected = TableRows.of(replicaDb);

            Path nodeDir = Files.createDirectories(dir.resolve("harmonylite"));
            HarmonyLiteNodeConfig config = HarmonyLiteNodeConfig.builder(nodeDir, 77, env.nats.url())
                    .prefixes(env.cluster.streamPrefix(), env.cluster.subjectPrefix()).shards(1)
                    .compress(env.cluster.compressed()).maxEntries(10_000_000).publish(false).build();
            try (Connection c = Sqlite.open(config.db())) {
                SqlScript.run(c, WorkloadSchema.SQL);
            }
            long h0 = System.nanoTime();
            double node;
            boolean equal;
            try (HarmonyLiteNode hl = HarmonyLiteNode.start(config)) {
                long total = TableRows.count(expected);
                while (TableRows.count(TableRows.of(config.db())) != total || !hl.isAlive()) {
                    if (!hl.isAlive()) {
                        throw new IllegalStateException("the HarmonyLite node exited: " + hl.tail());
                    }
                    Thread.sleep(100);
                }
                node = applied / ((System.nanoTime() - h0) / 1e9);
                Thread.sleep(1000);
                equal = TableRows.of(config.db()).equals(expected);
            }
            out.add("catch-up of " + applied + " changes from seq 1 (1 shard)", tidemark, "changes/s",
                    "a real HarmonyLite v0.10.0 node replaying the same stream (process start to the same row count)",
                    node, "faster than the node");
            out.note(equal ? "the node's tables equal the Tidemark replica's, row for row"
                    : "WARNING: the node's tables differ from the Tidemark replica's (times are stored in the node's"
                    + " TZ; run with TZ=UTC)");
        }
    }
}
