package io.tidemark.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.backends.local.LocalLeaseManager;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.Publisher;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.restore.RecoveryPlan;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replica's start-up decisions, in process: each reason to restore, and resuming when fine. */
class ReplicaRecoveryIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    private record Setup(ClusterConfig cluster, Path dir, LocalFolderSnapshotStore store, LocalLeaseManager leases,
                         WorkloadGenerator gen) {}

    private Setup setup(long maxEntries) throws Exception {
        String prefix = "rec" + System.nanoTime() % 1_000_000;
        ClusterConfig cluster = ClusterConfig.defaults().withPrefixes(prefix, prefix + "-change")
                .withMaxEntries(maxEntries);
        Path dir = Files.createTempDirectory(nats.tempDir(), prefix);
        Setup s = new Setup(cluster, dir, new LocalFolderSnapshotStore(dir.resolve("store")),
                new LocalLeaseManager(dir.resolve("leases")), new WorkloadGenerator(cluster, 5));
        new Publisher(cluster, s.store, s.leases, BuildOptions.builder(dir.resolve("work")).build())
                .seedFromSchema(WorkloadSchema.SQL);
        return s;
    }

    private void publish(Setup s, long n) throws Exception {
        try (Connection nc = nats.connect()) {
            WorkloadPublisher.publish(nc, s.cluster, s.gen::next, n);
        }
    }

    private void build(Setup s) throws Exception {
        try (Connection nc = nats.connect()) {
            new SnapshotBuilder(s.cluster, new JetStreamChangeSource(nc, s.cluster, false), s.store, s.leases,
                    EventPublisher.NONE, BuildOptions.builder(s.dir.resolve("work")).build()).build(Trigger.MANUAL, false);
        }
    }

    private RecoveryPlan.Decision startAndCatchUp(Setup s, Path db) throws Exception {
        TidemarkConfig cfg = TidemarkConfig.builder().cluster(s.cluster).natsUrls(List.of(nats.url()))
                .storeDir(s.dir.resolve("store")).workDir(s.dir.resolve("work")).dbPath(db).build();
        try (Connection nc = nats.connect();
             Replica r = new Replica(cfg, new JetStreamChangeSource(nc, s.cluster, false), s.store, s.leases,
                     Progress.NONE)) {
            RecoveryPlan.Decision d = r.recover();
            r.catchUp();
            return d;
        }
    }

    @Test
    void corruptDatabase_isReplacedByHead() throws Exception {
        Setup s = setup(100_000);
        publish(s, 500);
        build(s);
        Path db = s.dir.resolve("replica.db");
        Files.write(db, "this is not a SQLite database at all, not even close".repeat(100).getBytes());
        Files.writeString(s.dir.resolve("replica.db-wal"), "stale");
        RecoveryPlan.Decision d = startAndCatchUp(s, db);
        assertThat(d.reason()).isEqualTo(RecoveryPlan.Reason.CORRUPT);
        assertThat(Files.exists(s.dir.resolve("replica.db-wal"))).isFalse();
        assertThat(startAndCatchUp(s, db).reason()).isEqualTo(RecoveryPlan.Reason.NONE);
    }

    @Test
    void behindTheStreamsFirstSequence_restoresHead() throws Exception {
        Setup s = setup(300);
        publish(s, 100);
        Path db = s.dir.resolve("replica.db");
        assertThat(startAndCatchUp(s, db).reason()).isEqualTo(RecoveryPlan.Reason.NO_DATABASE);
        build(s); // HEAD at 100
        publish(s, 250);
        build(s); // HEAD at 350; the stream keeps 51..350
        publish(s, 250); // the stream keeps 301..600; the replica is at 100
        RecoveryPlan.Decision d = startAndCatchUp(s, db);
        assertThat(d.reason()).isEqualTo(RecoveryPlan.Reason.BEHIND_STREAM);
        assertThat(d.detail()).contains("is at seq 100").contains("starts at 301");
        Map<String, Long> head = Catalog.headManifest(s.store, Catalog.requireHead(s.store).head()).manifest()
                .positions();
        assertThat(head).containsEntry(s.cluster.streamName(1), 350L);
    }

    @Test
    void behindTheStream_butAheadOfHead_keepsItsDatabase_andReportsTheGap() throws Exception {
        Setup s = setup(100);
        publish(s, 50);
        Path db = s.dir.resolve("replica.db");
        startAndCatchUp(s, db); // replica at 50, HEAD still the seed at 0
        publish(s, 200); // the stream keeps 151..250
        byte[] before = Files.readAllBytes(db);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> startAndCatchUp(s, db))
                .isInstanceOf(io.tidemark.core.change.SequenceGapException.class)
                .hasMessageContaining("up to seq 50").hasMessageContaining("first seq is 151");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }

    @Test
    void moreThanMaxEntriesBehind_restoresHead() throws Exception {
        Setup s = setup(1_000);
        publish(s, 10);
        Path db = s.dir.resolve("replica.db");
        startAndCatchUp(s, db);
        publish(s, 990);
        build(s);
        publish(s, 5); // 995 behind but still stored, and below max_entries: resume
        assertThat(startAndCatchUp(s, db).reason()).isEqualTo(RecoveryPlan.Reason.NONE);
    }

    @Test
    void aDatabaseWithoutTidemarkPositions_isKeptAsideUntouched_andHeadRestored() throws Exception {
        Setup s = setup(100_000);
        publish(s, 300);
        build(s);
        Path db = s.dir.resolve("replica.db");
        // A node's own file (rows Tidemark cannot place) with a seq-map beside it claiming seq 300.
        try (java.sql.Connection c = io.tidemark.core.snapshot.Sqlite.open(db)) {
            io.tidemark.core.snapshot.SqlScript.run(c, WorkloadSchema.SQL
                    + "INSERT INTO users (id, name) VALUES (999999, 'foreign row');");
        }
        io.tidemark.core.change.SeqMap.write(s.dir.resolve("seq-map.cbor"), Map.of(s.cluster.streamName(1), 300L));
        byte[] before = Files.readAllBytes(db);
        RecoveryPlan.Decision d = startAndCatchUp(s, db);
        assertThat(d.reason()).isEqualTo(RecoveryPlan.Reason.UNKNOWN_POSITIONS);
        Path aside;
        try (var files = Files.list(s.dir)) {
            aside = files.filter(p -> p.getFileName().toString().startsWith("replica.db.unknown-")
                    && !p.toString().endsWith("-wal") && !p.toString().endsWith("-shm")).findFirst().orElseThrow();
        }
        assertThat(Files.readAllBytes(aside)).isEqualTo(before);
        try (java.sql.Connection c = io.tidemark.core.snapshot.Sqlite.open(db);
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM users WHERE id = 999999")) {
            assertThat(rs.getLong(1)).isZero();
        }
        assertThat(startAndCatchUp(s, db).reason()).isEqualTo(RecoveryPlan.Reason.NONE);
    }

    @Test
    void anUnrelatedDatabase_withNoHead_isRefusedAndNeverWritten() throws Exception {
        String prefix = "nohead" + System.nanoTime() % 1_000_000;
        ClusterConfig cluster = ClusterConfig.defaults().withPrefixes(prefix, prefix + "-change");
        Path dir = Files.createTempDirectory(nats.tempDir(), prefix);
        Setup s = new Setup(cluster, dir, new LocalFolderSnapshotStore(dir.resolve("store")),
                new LocalLeaseManager(dir.resolve("leases")), new WorkloadGenerator(cluster, 5));
        try (Connection nc = nats.connect()) {
            WorkloadPublisher.publish(nc, cluster, s.gen::next, 10);
        }
        Path db = dir.resolve("replica.db");
        try (java.sql.Connection c = io.tidemark.core.snapshot.Sqlite.open(db)) {
            io.tidemark.core.snapshot.SqlScript.run(c, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');");
        }
        byte[] before = Files.readAllBytes(db);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> startAndCatchUp(s, db))
                .hasMessageContaining("no snapshot");
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("seq-map.cbor"))).isFalse();
    }
}
