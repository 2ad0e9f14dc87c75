package io.tidemark.cycle;

import io.nats.client.Connection;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.backends.local.LocalLeaseManager;
import io.tidemark.core.build.BuildListener;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.Publisher;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.event.TidemarkEvent;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.restore.DatabaseDigest;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.snapshot.SqlScript;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.fixtures.workload.WorkloadSchema;
import io.tidemark.replica.Replica;
import io.tidemark.replica.TidemarkConfig;
import io.tidemark.core.snapshot.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** One isolated cluster on a shared nats-server: its own stream prefix, store, leases and scratch. */
final class ClusterHarness implements AutoCloseable {
    final ClusterConfig cluster;
    final Path dir;
    final LocalFolderSnapshotStore store;
    final Connection nc;
    final JetStreamChangeSource source;
    final WorkloadGenerator generator;
    final List<TidemarkEvent> events = new CopyOnWriteArrayList<>();
    LeaseManager leases;
    private final NatsServerExtension nats;

    ClusterHarness(NatsServerExtension nats, int shards, boolean compressed, long seed, long maxEntries) throws Exception {
        this.nats = nats;
        String prefix = "c" + UUID.randomUUID().toString().substring(0, 8);
        this.cluster = ClusterConfig.defaults().withPrefixes(prefix, prefix + "-change").withShards(shards)
                .withCompressed(compressed).withMaxEntries(maxEntries);
        this.dir = Files.createTempDirectory(nats.tempDir(), prefix);
        this.store = new LocalFolderSnapshotStore(dir.resolve("store"));
        this.leases = new LocalLeaseManager(dir.resolve("leases"));
        this.nc = nats.connect();
        this.source = new JetStreamChangeSource(nc, cluster, false);
        this.generator = new WorkloadGenerator(cluster, seed);
    }

    ClusterHarness(NatsServerExtension nats, int shards, boolean compressed, long seed) throws Exception {
        this(nats, shards, compressed, seed, 1_000_000);
    }

    void seed() {
        publisher().seedFromSchema(WorkloadSchema.SQL);
    }

    Publisher publisher() {
        return new Publisher(cluster, store, leases, options(BuildListener.NONE, Duration.ofSeconds(10)));
    }

    /** A publisher that reads the streams (seeding catches the copy up to their ends). */
    Publisher publisherWithStreams() {
        return new Publisher(cluster, store, leases, options(BuildListener.NONE, Duration.ofSeconds(10)), source);
    }

    void publish(long n) {
        WorkloadPublisher.publish(nc, cluster, generator::next, n);
    }

    BuildOptions options(BuildListener listener, Duration ttl) {
        return BuildOptions.builder(dir.resolve("work")).holder("test-" + UUID.randomUUID()).leaseTtl(ttl)
                .listener(listener).commitEvery(5_000).build();
    }

    BuildResult build() {
        return builder(BuildListener.NONE, Duration.ofSeconds(10)).build(Trigger.MANUAL, false);
    }

    /** A build with its own work directory (a fresh one is a builder with no warm database). */
    BuildResult build(Path work, io.tidemark.core.build.LayerPolicy policy) {
        return build(work, policy, true);
    }

    /** As above; {@code retention} false keeps every snapshot (tests that count them). */
    BuildResult build(Path work, io.tidemark.core.build.LayerPolicy policy, boolean retention) {
        BuildOptions.Builder o = BuildOptions.builder(work).holder("test-" + UUID.randomUUID())
                .leaseTtl(Duration.ofSeconds(10)).commitEvery(5_000).layers(policy);
        if (!retention) {
            o.retention(null);
        }
        return new SnapshotBuilder(cluster, source, store, leases, events::add, o.build()).build(Trigger.MANUAL, false);
    }

    SnapshotBuilder builder(BuildListener listener, Duration ttl) {
        return new SnapshotBuilder(cluster, source, store, leases, events::add, options(listener, ttl));
    }

    TidemarkConfig replicaConfig(Path db) {
        return TidemarkConfig.builder().cluster(cluster).natsUrls(List.of(nats.url())).storeDir(dir.resolve("store"))
                .leaseDir(dir.resolve("leases")).workDir(dir.resolve("work")).dbPath(db).build();
    }

    /** A fresh replica restored from HEAD and caught up to the streams' current ends. */
    Map<String, DatabaseDigest.TableDigest> restoreAndCatchUp(String name) throws Exception {
        Path db = dir.resolve(name + "/replica.db");
        try (Replica r = new Replica(replicaConfig(db), source, store, leases, Progress.NONE)) {
            r.recover();
            r.catchUp();
        }
        return digest(db);
    }

    /** A replica that replayed every change from sequence 1 onto the empty schema. */
    Map<String, DatabaseDigest.TableDigest> fullReplay(String name) throws Exception {
        Path db = dir.resolve(name + "/replica.db");
        Files.createDirectories(db.getParent());
        try (java.sql.Connection c = Sqlite.open(db)) {
            SqlScript.run(c, WorkloadSchema.SQL);
            io.tidemark.core.replay.PositionTable.createAtStart(c);
        }
        try (Replica r = new Replica(replicaConfig(db), source, store, leases, Progress.NONE)) {
            io.tidemark.core.restore.RecoveryPlan.Decision d = r.recover();
            // The reference must replay every change itself: restoring HEAD would compare HEAD with HEAD.
            if (d.restore()) {
                throw new IllegalStateException("the full-replay reference restored HEAD (" + d.reason() + ")");
            }
            r.catchUp();
        }
        return digest(db);
    }

    static Map<String, DatabaseDigest.TableDigest> digest(Path db) throws Exception {
        try (java.sql.Connection c = Sqlite.open(db)) {
            return DatabaseDigest.of(c);
        }
    }

    static long rows(Map<String, DatabaseDigest.TableDigest> d) {
        return d.values().stream().mapToLong(DatabaseDigest.TableDigest::rows).sum();
    }

    EventPublisher events() {
        return events::add;
    }

    @Override
    public void close() throws Exception {
        nc.close();
    }
}
