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
import io.tidemark.backends.sftp.SftpSessions;
import io.tidemark.backends.sftp.SftpSnapshotStore;
import io.tidemark.backends.sftp.SftpStoreConfig;
import io.tidemark.backends.webdav.WebDavSnapshotStore;
import io.tidemark.backends.webdav.WebDavStoreConfig;
import java.time.Clock;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.Publisher;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.replica.LeaseSpec;
import io.tidemark.replica.StoreSpec;
import io.tidemark.replica.TidemarkConfig;

/** Builds the parts a command needs from the configuration; NATS is connected only on demand. */
final class Wiring implements AutoCloseable {
    final TidemarkConfig config;
    final SnapshotStore store;
    final LeaseManager leases;
    private static final int NATS_NOT_FOUND = 10059;

    private Connection nc;
    private ChangeSource source;
    private AwsClients aws;

    /** For commands that write: opening the store creates its folder or buckets when missing. */
    Wiring(TidemarkConfig config) {
        this(config, false);
    }

    private Wiring(TidemarkConfig config, boolean readOnly) {
        this.config = config;
        try {
            if (readOnly) {
                requireStoreExists(config.store());
            }
            this.store = store(config.store());
            this.leases = leases(config.leaseOrDefault());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** For list, show, verify and restore: a missing store is a {@link MissingStoreException}, never created. */
    static Wiring readOnly(TidemarkConfig config) {
        return new Wiring(config, true);
    }

    private void requireStoreExists(StoreSpec spec) {
        if (spec instanceof StoreSpec.Folder f && !java.nio.file.Files.isDirectory(f.dir())) {
            throw new MissingStoreException("snapshot folder " + f.dir().toAbsolutePath());
        } else if (spec instanceof StoreSpec.Nats n) {
            // Opening the store creates both buckets when missing; look first. HarmonyLite nodes may
            // have made the object bucket alone: without <bucket>-head it holds no Tidemark snapshot.
            requireNatsBucket(n.bucket(), "NATS object store bucket " + n.bucket(), true);
            requireNatsBucket(n.bucket() + "-head", "NATS KV bucket " + n.bucket() + "-head (Tidemark's HEAD for "
                    + n.bucket() + ")", false);
        }
    }

    private void requireNatsBucket(String bucket, String what, boolean objectStore) {
        try {
            if (objectStore) {
                nats().objectStoreManagement().getStatus(bucket);
            } else {
                nats().keyValueManagement().getStatus(bucket);
            }
        } catch (io.nats.client.JetStreamApiException e) {
            if (e.getApiErrorCode() == NATS_NOT_FOUND) {
                throw new MissingStoreException(what + " on " + config.natsUrls());
            }
            throw new IllegalStateException("cannot look up " + what + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot look up " + what + ": " + e.getMessage(), e);
        }
    }

    private SnapshotStore store(StoreSpec spec) {
        if (spec instanceof StoreSpec.Folder f) {
            return new LocalFolderSnapshotStore(f.dir());
        } else if (spec instanceof StoreSpec.Nats n) {
            return NatsObjects.store(nats(), n.bucket());
        } else if (spec instanceof StoreSpec.S3 s3) {
            AwsClients clients = s3.accessKey() == null ? aws() : AwsClients.withStaticCredentials(s3.accessKey(),
                    s3.secret(), s3.sessionToken());
            return new S3SnapshotStore(clients.s3(uri(s3.endpoint())), S3StoreConfig.of(s3.bucket(), s3.prefix()));
        } else if (spec instanceof StoreSpec.WebDav dav) {
            WebDavStoreConfig c = WebDavStoreConfig.fromHarmonyLiteUrl(dav.url());
            return new WebDavSnapshotStore(java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(15)).build(), c);
        }
        StoreSpec.Sftp sftp = (StoreSpec.Sftp) spec;
        SftpStoreConfig.Builder b = SftpStoreConfig.fromHarmonyLiteUrl(sftp.url()).knownHosts(sftp.knownHosts());
        if (sftp.privateKey() != null) {
            b.privateKey(sftp.privateKey(), null);
        }
        SftpStoreConfig c = b.build();
        return new SftpSnapshotStore(SftpSessions.connect(c), c);
    }

    private LeaseManager leases(LeaseSpec spec) {
        if (spec instanceof LeaseSpec.Folder f) {
            return new LocalLeaseManager(f.dir());
        } else if (spec instanceof LeaseSpec.DynamoDb d) {
            return new DynamoDbLeaseManager(aws().dynamoDb(uri(d.endpoint())),
                    DynamoDbLeaseConfig.of(d.table(), config.cluster().cluster()));
        }
        // HarmonyLite's lease, shared with its nodes; opened on first use so read-only commands
        // against a store that needs no NATS do not connect.
        String bucket = ((LeaseSpec.NatsKv) spec).bucket();
        return new LazyLeaseManager(() -> new NatsKvLeaseManager(NatsKv.bucket(nats(), bucket), Clock.systemUTC()));
    }

    private AwsClients aws() {
        if (aws == null) {
            aws = AwsClients.fromEnvironment();
        }
        return aws;
    }

    private static java.net.URI uri(String s) {
        return s == null || s.isBlank() ? null : java.net.URI.create(s);
    }

    Connection nats() {
        if (nc == null) {
            nc = NatsConnections.connect(config.natsUrls(), config.natsSecurity(), config.reconnectWait());
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
                .progress(progress).bootCopy(config.bootCopy()).build();
    }

    SnapshotBuilder builder(Progress progress) {
        return builder(progress, io.tidemark.core.build.LayerPolicy.DEFAULT);
    }

    SnapshotBuilder builder(Progress progress, io.tidemark.core.build.LayerPolicy layers) {
        BuildOptions o = BuildOptions.builder(config.workDir()).leaseTtl(config.leaseTtl()).retention(config.retention())
                .progress(progress).bootCopy(config.bootCopy()).layers(layers).build();
        return new SnapshotBuilder(config.cluster(), source(), store, leases, EventPublisher.NONE, o);
    }

    Publisher publisher() {
        return new Publisher(config.cluster(), store, leases, options(Progress.NONE), source());
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
