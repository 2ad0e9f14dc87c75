package io.tidemark.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.change.ChangeCodec;
import io.tidemark.core.change.ChangeType;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.InvalidManifestException;
import io.tidemark.core.manifest.NoHeadException;
import io.tidemark.core.restore.DatabaseDigest;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.store.StoreLayout;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.replica.Replica;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every bad input gives a clear error naming what and where; HEAD and the local database stay. */
class BadInputIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    private static void publishRaw(ClusterHarness h, byte[] data) throws Exception {
        io.tidemark.fixtures.nats.HarmonyLiteStreams.ensure(h.nc, h.cluster);
        h.nc.jetStream().publish(h.cluster.subject(1), data);
    }

    private static Head head(ClusterHarness h) {
        return Catalog.requireHead(h.store).head();
    }

    @Test
    void malformedCbor_failsNamingStreamAndSeq_headUnchanged() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 31)) {
            h.seed();
            h.publish(10);
            Head before = head(h);
            publishRaw(h, new byte[]{(byte) 0xa2, 0x64, 'P', 'a'}); // map cut short
            BuildResult r = h.build();
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(r.message()).contains(h.cluster.streamName(1) + " seq 11").contains("CBOR");
            assertThat(head(h)).isEqualTo(before);
            assertThat(h.events).extracting(e -> e.type().name()).containsExactly("SnapshotFailed");
        }
    }

    @Test
    void zstdGarbage_onCompressedStream_failsNamingZstd() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, true, 32)) {
            h.seed();
            Head before = head(h);
            publishRaw(h, "definitely not zstd".getBytes());
            BuildResult r = h.build();
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(r.message()).contains(h.cluster.streamName(1) + " seq 1").contains("zstd");
            assertThat(head(h)).isEqualTo(before);
        }
    }

    @Test
    void unknownTable_failsNamingTableStreamAndSeq() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 33)) {
            h.seed();
            h.publish(5);
            Head before = head(h);
            publishRaw(h, ChangeCodec.encode(1, 99, ChangeType.INSERT, "no_such_table", Map.of("id", 1L), null, false));
            BuildResult r = h.build();
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(r.message()).contains("'no_such_table'").contains(h.cluster.streamName(1) + " seq 6");
            assertThat(head(h)).isEqualTo(before);
        }
    }

    @Test
    void corruptSnapshotFile_buildAndRestoreRefuse_headAndLocalDatabaseStay() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 34)) {
            h.seed();
            h.publish(500);
            h.build();
            Path replicaDb = h.dir.resolve("replica/replica.db");
            try (Replica r = new Replica(h.replicaConfig(replicaDb), h.source, h.store, h.leases, Progress.NONE)) {
                r.recover();
            }
            Map<String, DatabaseDigest.TableDigest> local = ClusterHarness.digest(replicaDb);
            Head before = head(h);
            Path object = h.store.pathOf(StoreLayout.databaseKey(before.snapshot()));
            byte[] bytes = Files.readAllBytes(object);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(object, bytes, StandardOpenOption.TRUNCATE_EXISTING);

            h.publish(10);
            // A builder without a warm database fetches HEAD, finds the damage and refuses.
            BuildResult r = h.build(h.dir.resolve("cold-work"), io.tidemark.core.build.LayerPolicy.DEFAULT);
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(r.message()).contains(before.snapshot());
            assertThat(head(h)).isEqualTo(before);
            // The warm builder trusts its own copy (checked against HEAD's sha256 when it was built)
            // and does not re-read the store; the scheduled restore test is what finds the damage.
            io.tidemark.core.restore.Verifier.Verification v = io.tidemark.core.restore.Verifier.verifyHead(h.store,
                    h.dir.resolve("verify"));
            assertThat(v.ok()).isFalse();
            assertThat(v.problem()).contains(StoreLayout.databaseKey(before.snapshot()));

            Files.delete(replicaDb); // forces a restore, which must fail and leave no half file
            try (Replica rep = new Replica(h.replicaConfig(replicaDb), h.source, h.store, h.leases, Progress.NONE)) {
                assertThatThrownBy(rep::recover).isInstanceOf(CorruptSnapshotException.class)
                        .hasMessageContaining(before.snapshot());
            }
            assertThat(Files.exists(replicaDb)).isFalse();
            assertThat(local).isNotEmpty();

            // The way out: a rebase build from the warm copy stores the whole database again.
            BuildResult rebased = h.build(h.dir.resolve("work"), io.tidemark.core.build.LayerPolicy.REBASE);
            assertThat(rebased.outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            assertThat(Catalog.headManifest(h.store, head(h)).manifest().chain()).hasSize(1);
            assertThat(io.tidemark.core.restore.Verifier.verifyHead(h.store, h.dir.resolve("verify")).ok()).isTrue();
            assertThat(h.restoreAndCatchUp("after-rebase")).isEqualTo(h.fullReplay("full"));
        }
    }

    @Test
    void manifestNotMatchingHeadsHash_isRefused() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 35)) {
            h.seed();
            Head before = head(h);
            Path manifest = h.store.pathOf(StoreLayout.manifestKey(before.snapshot()));
            Files.writeString(manifest, Files.readString(manifest).replace("\"tables\"", "\"tables\" "));
            h.publish(10);
            BuildResult r = h.build();
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(r.message()).contains("manifest of snapshot " + before.snapshot()).contains("sha256");
            assertThatThrownBy(() -> Catalog.headManifest(h.store, before)).isInstanceOf(InvalidManifestException.class);
            assertThat(head(h)).isEqualTo(before);
        }
    }

    @Test
    void missingHead_saysHowToSeed() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 36)) {
            h.publish(10);
            BuildResult r = h.build();
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(r.message()).contains("no HEAD.json").contains("tidemark snapshot seed");
            assertThatThrownBy(() -> Catalog.requireHead(h.store)).isInstanceOf(NoHeadException.class);
        }
    }

    @Test
    void gap_isReportedWithStreamPositionAndFirstSequence_headUnchanged() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 37, 100)) {
            h.seed();
            h.publish(50);
            h.build();
            Head before = head(h);
            h.publish(300); // the stream keeps only the last 100: seqs 51..250 are lost
            BuildResult r = h.build();
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.GAP);
            assertThat(r.message()).contains("gap in stream " + h.cluster.streamName(1))
                    .contains("up to seq 50").contains("first seq is 251");
            assertThat(head(h)).isEqualTo(before);
            assertThat(h.events).last().satisfies(e -> {
                assertThat(e.type().name()).isEqualTo("SnapshotGapDetected");
                assertThat(e.detail()).containsEntry("position", 50L).containsEntry("firstAvailable", 251L);
            });
        }
    }

    @Test
    void seedingTwice_isRefused_andKeepsHistory() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 38)) {
            h.seed();
            Head before = head(h);
            assertThatThrownBy(h::seed).hasMessageContaining("already has HEAD " + before.snapshot());
            assertThat(head(h)).isEqualTo(before);
        }
    }
}
