package io.tidemark.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.restore.DatabaseDigest;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A database restored from the latest snapshot and replayed to the head equals, table by table and
 * row by row, one that replayed the stream from sequence 1.
 */
class EquivalenceIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    @ParameterizedTest(name = "shards={0} compressed={1} seed={2}")
    @CsvSource({"1, false, 11", "1, true, 12", "4, false, 13", "4, true, 14"})
    void restoredPlusReplay_equalsFullReplay(int shards, boolean compressed, long seed) throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, shards, compressed, seed)) {
            h.seed();
            h.publish(6_000);
            assertThat(h.build().outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            h.publish(5_000);
            BuildResult second = h.build();
            assertThat(second.outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            assertThat(second.changesApplied()).isEqualTo(5_000);
            h.publish(1_500); // a tail no snapshot holds

            Map<String, DatabaseDigest.TableDigest> restored = h.restoreAndCatchUp("restored");
            Map<String, DatabaseDigest.TableDigest> full = h.fullReplay("full");

            assertThat(restored).isEqualTo(full);
            assertThat(full).containsOnlyKeys("audit_log", "orders", "settings", "users");
            assertThat(full.values()).allSatisfy(t -> assertThat(t.rows()).isGreaterThan(200));
        }
    }
}
