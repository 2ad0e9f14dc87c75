package io.tidemark.functions;

import io.nats.client.Connection;
import io.tidemark.backends.aws.AwsClients;
import io.tidemark.backends.aws.NatsCredentials;
import io.tidemark.backends.dynamodb.DynamoDbLeaseConfig;
import io.tidemark.backends.dynamodb.DynamoDbLeaseManager;
import io.tidemark.backends.eventbridge.EventBridgeEventPublisher;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.jetstream.NatsAuth;
import io.tidemark.backends.jetstream.NatsConnections;
import io.tidemark.backends.jetstream.NatsSecurity;
import io.tidemark.backends.s3.S3SnapshotStore;
import io.tidemark.backends.s3.S3StoreConfig;
import io.tidemark.core.build.BuilderWarmUp;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.store.SnapshotStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds, once per Lambda container and only when first needed, the clients a handler uses: start-up
 * work stays small for cold starts, and later invocations reuse connections.
 */
final class Wiring {
    /** Where Build and Verify keep their databases: Lambda's /tmp, kept while the container lives. */
    static final Path SCRATCH = Path.of(System.getProperty("java.io.tmpdir"), "tidemark");

    final FunctionConfig config;
    private final AwsClients aws = AwsClients.fromEnvironment();
    private SnapshotStore store;
    private LeaseManager leases;
    private EventPublisher events;
    private Connection nats;
    private BuildInvoker invoker;

    Wiring(FunctionConfig config) {
        this.config = config;
    }

    private SnapStartHooks hooks; // strongly held: the CRaC context keeps only a weak reference
    private boolean warmUpBuilder;
    private long warmedUp;

    /** Has {@link #prime} also run the builder's hot paths (the Build function), so its snapshot holds them compiled. */
    Wiring warmingUpTheBuilder() {
        warmUpBuilder = true;
        return this;
    }

    /** Changes the builder's warm-up applied in {@link #prime}: 0 when it did not run. */
    synchronized long warmedUp() {
        return warmedUp;
    }

    /** Lambda's path: the environment's configuration, with the SnapStart hooks registered. */
    static Wiring fromEnvironment() {
        Wiring w = new Wiring(FunctionConfig.fromEnvironment());
        w.hooks = SnapStartHooks.register(w);
        return w;
    }

    /** Builds what a first invocation needs without calling anything remote (before a checkpoint). */
    synchronized void prime() {
        store();
        events();
        if (config.leaseTable() != null && !config.leaseTable().isBlank()) {
            leases();
        }
        if (config.buildFunction() != null && !config.buildFunction().isBlank()) {
            invoker();
        }
        BuildRequest.parse(java.util.Map.of("detail-type", "Scheduled Event", "source", "aws.events", "id", "prime"));
        if (warmUpBuilder && warmedUp == 0) {
            // the first build in a JVM, 10k changes on 918 MB: replay 209-275 ms after it, 331-433 ms without
            warmedUp = BuilderWarmUp.run(SCRATCH);
        }
    }

    /** Closes the NATS connection, if any; the next {@link #source()} opens a new one. */
    synchronized void closeNats() {
        if (nats != null) {
            try {
                nats.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            nats = null;
        }
    }

    /** The current NATS connection, or null (tests). */
    synchronized Connection natsConnection() {
        return nats;
    }

    synchronized SnapshotStore store() {
        if (store == null) {
            store = new S3SnapshotStore(aws.s3(config.endpoint("S3")), S3StoreConfig.of(config.bucket(), config.prefix()));
        }
        return store;
    }

    synchronized LeaseManager leases() {
        if (leases == null) {
            leases = new DynamoDbLeaseManager(aws.dynamoDb(config.endpoint("DYNAMODB")),
                    DynamoDbLeaseConfig.of(config.requireLeaseTable(), config.cluster().cluster()));
        }
        return leases;
    }

    synchronized EventPublisher events() {
        if (events == null) {
            events = new EventBridgeEventPublisher(aws.eventBridge(config.endpoint("EVENTS")), config.eventBus());
        }
        return events;
    }

    synchronized ChangeSource source() {
        if (nats == null || nats.getStatus() == Connection.Status.CLOSED) {
            // TLS and credentials from TIDEMARK_NATS_*, as the CLI and replica read them; a secret's
            // credentials replace none of those silently: both set is an error naming each.
            NatsSecurity security = config.natsSecurity();
            if (config.natsSecretArn() != null) {
                NatsAuth secret = NatsCredentials.fromSecret(aws.secrets(config.endpoint("SECRETS")), config.natsSecretArn());
                security = security.withAuth(NatsAuth.exactlyOne(security.auth(), secret));
            }
            nats = NatsConnections.connect(config.natsUrls(), security, Duration.ofSeconds(1));
        }
        return new JetStreamChangeSource(nats, config.cluster(), false);
    }

    synchronized BuildInvoker invoker() {
        if (invoker == null) {
            invoker = new LambdaBuildInvoker(aws.lambda(config.endpoint("LAMBDA")), config.requireBuildFunction());
        }
        return invoker;
    }
}
