package io.tidemark.cli;

import io.nats.client.Connection;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.jetstream.NatsConnections;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.backends.local.LocalLeaseManager;
import io.tidemark.backends.aws.AwsClients;
import io.tidemark.backends.dynamodb.DynamoDbLeaseConfig;
import io.tidemark.backends.dynamodb.DynamoDbLeaseManager;
import io.tidemark.backends.natskv.NatsKv;
import io.tidemark.backends.s3.S3SnapshotStore;
import io.tidemark.backends.s3.S3StoreConfig;
import io.tidemark.backends.natskv.NatsKvLeaseManager;
import io.tidemark.backends.natsobject.NatsObjects;
import java.time.Clock;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.Publisher;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.replica.TidemarkConfig;

/** Builds the parts a command needs from the configuration; NATS is connected only on demand. */
final class Wiring implements AutoCloseable {
    /** HarmonyLite's NodeID in the KV lease value; no HarmonyLite node uses 0. */
    private static final long LEASE_NODE_ID = 0;

    final TidemarkConfig config;
    final SnapshotStore store;
    final LeaseManager leases;
    private Connection nc;
    private ChangeSource source;

    Wiring(TidemarkConfig config) {
        this.config = config;
        if (config.s3() != null) {
            AwsClients aws = AwsClients.fromEnvironment();
            this.store = new S3SnapshotStore(aws.s3(uri(config.s3().endpoint())),
                    S3StoreConfig.of(config.s3().bucket(), config.s3().prefix()));
            this.leases = config.leaseTable() == null ? NO_LEASES : new DynamoDbLeaseManager(
                    aws.dynamoDb(uri(config.leaseTable().endpoint())),
                    DynamoDbLeaseConfig.of(config.leaseTable().name(), config.cluster().cluster()));
        } else if (config.natsStore()) {
            this.store = NatsObjects.store(nats(), config.natsBucket());
            this.leases = new NatsKvLeaseManager(NatsKv.bucket(nats(), config.natsBucket() + "-lease"), LEASE_NODE_ID,
                    Clock.systemUTC());
        } else {
            this.store = new LocalFolderSnapshotStore(config.storeDir());
            this.leases = new LocalLeaseManager(config.leases());
        }
    }

    /** An S3 store without a lease table can be read, restored and verified, not written. */
    private static final LeaseManager NO_LEASES = new LeaseManager() {
        private IllegalArgumentException missing() {
            return new IllegalArgumentException("an S3 store needs --lease-table (DynamoDB) to build, seed, roll back"
                    + " or publish a full snapshot");
        }

        public io.tidemark.core.lease.Lease acquire(String name, String holder, java.time.Duration ttl) {
            throw missing();
        }

        public io.tidemark.core.lease.Lease renew(io.tidemark.core.lease.Lease lease) {
            throw missing();
        }

        public void release(io.tidemark.core.lease.Lease lease) { }
    };

    private static java.net.URI uri(String s) {
        return s == null || s.isBlank() ? null : java.net.URI.create(s);
    }

    Connection nats() {
        if (nc == null) {
            nc = NatsConnections.connect(config.natsUrls(), config.natsUser(), config.natsPassword(), null,
                    config.reconnectWait());
        }
        return nc;
    }

    ChangeSource source() {
        if (source == null) {
            source = new JetStreamChangeSource(nats(), config.cluster(), false);
        }
        return source;
    }

    BuildOptions options(Progress progress) {
        return BuildOptions.builder(config.workDir()).leaseTtl(config.leaseTtl()).retention(config.retention())
                .progress(progress).build();
    }

    SnapshotBuilder builder(Progress progress) {
        return new SnapshotBuilder(config.cluster(), source(), store, leases, EventPublisher.NONE, options(progress));
    }

    Publisher publisher() {
        return new Publisher(config.cluster(), store, leases, options(Progress.NONE));
    }

    @Override
    public void close() {
        if (nc != null) {
            try {
                nc.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
