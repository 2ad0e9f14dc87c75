package io.tidemark.cli.bench;

import io.nats.client.Connection;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.jetstream.NatsConnections;
import io.tidemark.backends.jetstream.NatsSecurity;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.backends.local.LocalLeaseManager;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.Publisher;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.retention.RetentionPolicy;
import io.tidemark.fixtures.nats.NatsServerProcess;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** One benchmark cluster: an embedded nats-server, a local store and a workload. */
final class BenchEnv implements AutoCloseable {
    final Path dir;
    final NatsServerProcess nats;
    final Connection nc;
    final ClusterConfig cluster;
    final LocalFolderSnapshotStore store;
    final LocalLeaseManager leases;

    BenchEnv(Path dir, String name, int shards, long maxEntries) {
        this.dir = dir;
        this.nats = NatsServerProcess.start(dir.resolve("nats-" + name));
        this.nc = NatsConnections.connect(List.of(nats.url()), NatsSecurity.NONE, Duration.ofSeconds(1));
        this.cluster = ClusterConfig.defaults().withPrefixes(name, name + "-change").withShards(shards)
                .withMaxEntries(maxEntries);
        this.store = new LocalFolderSnapshotStore(dir.resolve("store-" + name));
        this.leases = new LocalLeaseManager(dir.resolve("leases-" + name));
    }

    BuildOptions options() {
        return BuildOptions.builder(dir.resolve("work")).retention(RetentionPolicy.DEFAULT).build();
    }

    Publisher publisher() {
        return new Publisher(cluster, store, leases, options());
    }

    void publish(Supplier<WorkloadGenerator.Change> changes, long n) {
        WorkloadPublisher.publish(nc, cluster, changes, n);
    }

    BuildResult build() {
        SnapshotBuilder b = new SnapshotBuilder(cluster, new JetStreamChangeSource(nc, cluster, false), store, leases,
                EventPublisher.NONE, options());
        BuildResult r = b.build(Trigger.MANUAL, false);
        if (r.outcome() != BuildResult.Outcome.CREATED) {
            throw new IllegalStateException("benchmark build did not create a snapshot: " + r.message());
        }
        return r;
    }

    @Override
    public void close() throws Exception {
        nc.close();
        nats.close();
    }
}
