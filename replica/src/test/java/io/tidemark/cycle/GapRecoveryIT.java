package io.tidemark.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.SnapshotCommitter;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.restore.DatabaseDigest;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.replica.Replica;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The way out of a real gap when no replica was following: a node's database that applied the lost
 * changes seeds a new snapshot over HEAD, caught up to the streams' ends, and HEAD moves forwards.
 */
class GapRecoveryIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    @Test
    void aNodesDatabaseSeedsOverHead_pastTheGap_andBuildsGoOn() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 81, 500)) {
            h.seed();
            h.publish(300);
            assertThat(h.build().outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            // A "node" applies every change as it flows; Tidemark does not build for 900 changes.
            Path nodeDb = h.dir.resolve("node/node.db");
            Map<String, Long> nodePositions;
            try (Replica node = new Replica(h.replicaConfig(nodeDb), h.source, h.store, h.leases, Progress.NONE)) {
                node.recover();
                for (int i = 0; i < 3; i++) {
                    h.publish(300);
                    node.catchUp();
                }
                nodePositions = node.positions();
            }
            Head before = Catalog.requireHead(h.store).head();
            assertThat(h.build().outcome()).isEqualTo(BuildResult.Outcome.GAP);
            assertThatThrownBy(() -> h.publisherWithStreams().seedFromDatabase(nodeDb, nodePositions))
                    .hasMessageContaining("--over-head");

            h.publish(50); // the cluster goes on meanwhile
            SnapshotCommitter.Committed seeded = h.publisherWithStreams().seedFromDatabase(nodeDb, nodePositions, true);
            assertThat(seeded.manifest().base().id()).isEqualTo(before.snapshot());
            assertThat(seeded.manifest().position(h.cluster.streamName(1))).isEqualTo(1_250);
            assertThat(Catalog.requireHead(h.store).head().snapshot()).isEqualTo(seeded.manifest().id());

            h.publish(100);
            assertThat(h.build().outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            Map<String, DatabaseDigest.TableDigest> restored = h.restoreAndCatchUp("fresh");
            try (Replica node = new Replica(h.replicaConfig(nodeDb), h.source, h.store, h.leases, Progress.NONE)) {
                node.recover();
                node.catchUp();
            }
            assertThat(restored).isEqualTo(ClusterHarness.digest(nodeDb));
        }
    }
}
