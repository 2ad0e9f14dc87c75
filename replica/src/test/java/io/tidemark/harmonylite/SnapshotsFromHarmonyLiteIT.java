package io.tidemark.harmonylite;

import static io.tidemark.harmonylite.HarmonyLiteHarness.tidemarkOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.backends.local.LocalLeaseManager;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.fixtures.harmonylite.HarmonyLiteNode;
import io.tidemark.fixtures.harmonylite.NodeWriter;
import io.tidemark.fixtures.harmonylite.TableRows;
import io.tidemark.replica.Replica;
import io.tidemark.replica.TidemarkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tidemark beside two real HarmonyLite nodes that write through SQLite: seeded from a publishing
 * node's own database and seq-map, then incremental snapshots from the live streams; a database
 * restored from HEAD, and a Tidemark replica that follows the streams past it, equal every node
 * table by table, row by row, value and SQLite type (compared through SQLite itself).
 */
class SnapshotsFromHarmonyLiteIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} shard(s), compressed {1}")
    @CsvSource({"1, false", "4, true"})
    void seedThenIncrementalBuilds_restoreAndReplicaEqualEveryNode(int shards, boolean compress) throws Exception {
        try (HarmonyLiteHarness h = new HarmonyLiteHarness(dir, shards, compress, 100_000)) {
            HarmonyLiteNode one = h.startNode(1);
            HarmonyLiteNode two = h.startNode(2);
            new NodeWriter(one.db(), 11, 0).write(400, 25, 150);
            new NodeWriter(two.db(), 12, 1_000_000).write(300, 20, 150);
            Map<String, List<String>> first = h.awaitConverged(one, Duration.ofSeconds(60));
            assertThat(TableRows.count(first)).isGreaterThan(100);

            // Node two publishes: its seq-map holds its own published sequences, not only applied ones.
            String store = dir.resolve("store").toString();
            tidemarkOk(new String[]{"snapshot", "seed", "--db", two.db().toString(), "--seq-map", two.seqMap().toString()},
                    h.cluster("--store", store));

            new NodeWriter(one.db(), 21, 0).write(500, 50, 150);
            new NodeWriter(two.db(), 22, 1_000_000).write(200, 10, 150);
            h.awaitConverged(one, Duration.ofSeconds(60));
            assertThat(tidemarkOk(new String[]{"snapshot", "build"}, h.cluster("--store", store)).out()).startsWith("created");

            new NodeWriter(two.db(), 31, 1_000_000).write(300, 30, 150);
            new NodeWriter(one.db(), 32, 0).write(100, 5, 150);
            Map<String, List<String>> atBuild = h.awaitConverged(one, Duration.ofSeconds(60));
            io.tidemark.cli.CliRun second = tidemarkOk(new String[]{"snapshot", "build"}, h.cluster("--store", store));
            assertThat(second.out()).startsWith("created");

            Path restored = dir.resolve("restored/node.db");
            tidemarkOk(new String[]{"snapshot", "restore", "--to", restored.toString()}, h.cluster("--store", store));
            assertThat(TableRows.of(restored)).isEqualTo(atBuild).isEqualTo(TableRows.of(two.db()));

            // Changes no snapshot holds yet: a Tidemark replica restores HEAD and replays them.
            new NodeWriter(one.db(), 41, 0).write(250, 25, 150);
            new NodeWriter(two.db(), 42, 1_000_000).write(150, 15, 150);
            Map<String, List<String>> now = h.awaitConverged(two, Duration.ofSeconds(60));
            Path replicaDb = dir.resolve("replica/replica.db");
            Files.createDirectories(replicaDb.getParent());
            ClusterConfig cluster = ClusterConfig.defaults().withShards(shards).withCompressed(compress)
                    .withMaxEntries(100_000);
            TidemarkConfig cfg = TidemarkConfig.builder().cluster(cluster).natsUrls(List.of(h.nats.url()))
                    .storeDir(Path.of(store)).workDir(dir.resolve("work")).dbPath(replicaDb).build();
            try (Connection nc = Nats.connect(h.nats.url());
                 Replica r = new Replica(cfg, new JetStreamChangeSource(nc, cluster, false),
                         new LocalFolderSnapshotStore(Path.of(store)), new LocalLeaseManager(Path.of(store, ".leases")),
                         Progress.NONE)) {
                r.recover();
                assertThat(r.catchUp()).isPositive();
            }
            assertThat(TableRows.of(replicaDb)).isEqualTo(now).isEqualTo(TableRows.of(one.db()));
        }
    }
}
