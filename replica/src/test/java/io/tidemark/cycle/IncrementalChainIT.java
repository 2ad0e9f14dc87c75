package io.tidemark.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.restore.Verifier;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IncrementalChainIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    @Test
    void snapshots1to3_eachBuiltOnTheLast_linkedByManifestHash() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 2, true, 21)) {
            h.seed();
            String seedId = Catalog.requireHead(h.store).head().snapshot();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                h.publish(2_000);
                BuildResult r = h.build();
                assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.CREATED);
                assertThat(r.changesApplied()).isEqualTo(2_000);
                ids.add(r.snapshotId());
            }
            Catalog.VersionedHead head = Catalog.requireHead(h.store);
            assertThat(head.head().snapshot()).isEqualTo(ids.get(2));

            // Walk the chain from HEAD back to the seed, checking each link's hash.
            Catalog.StoredManifest cur = Catalog.headManifest(h.store, head.head());
            List<String> walked = new ArrayList<>();
            long previousTotal = Long.MAX_VALUE;
            while (cur.manifest().base() != null) {
                walked.add(cur.manifest().id());
                long total = cur.manifest().positions().values().stream().mapToLong(Long::longValue).sum();
                assertThat(total).isLessThan(previousTotal);
                previousTotal = total;
                Manifest.BaseRef base = cur.manifest().base();
                cur = Catalog.manifest(h.store, base.id(), base.manifestSha256()); // throws if the hash differs
            }
            assertThat(cur.manifest().id()).isEqualTo(seedId);
            assertThat(walked).containsExactly(ids.get(2), ids.get(1), ids.get(0));
            assertThat(Catalog.headManifest(h.store, head.head()).manifest().positions().values()
                    .stream().mapToLong(Long::longValue).sum()).isEqualTo(6_000);
            for (String id : ids) {
                assertThat(Verifier.verify(h.store, id, null, h.dir.resolve("verify")).ok()).isTrue();
            }
        }
    }

    @Test
    void nothingNew_isSkipped_andHeadStays() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 22)) {
            h.seed();
            h.publish(100);
            String created = h.build().snapshotId();
            BuildResult again = h.build();
            assertThat(again.outcome()).isEqualTo(BuildResult.Outcome.SKIPPED);
            assertThat(again.snapshotId()).isEqualTo(created);
            assertThat(Catalog.requireHead(h.store).head().snapshot()).isEqualTo(created);
            assertThat(Catalog.snapshotIds(h.store)).hasSize(2);
            assertThat(h.events).extracting(e -> e.type().name()).containsExactly("SnapshotCreated", "SnapshotSkipped");
        }
    }
}
