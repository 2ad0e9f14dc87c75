package io.tidemark.backends.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backends.aws.NatsCredentials;
import io.tidemark.backends.dynamodb.DynamoDbLeaseConfig;
import io.tidemark.backends.dynamodb.DynamoDbLeaseManager;
import io.tidemark.backends.eventbridge.EventBridgeEventPublisher;
import io.tidemark.backends.jetstream.NatsAuth;
import io.tidemark.backends.s3.S3SnapshotStore;
import io.tidemark.backends.s3.S3StoreConfig;
import io.tidemark.core.event.TidemarkEvent;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.fixtures.aws.LocalStackHost;
import io.tidemark.fixtures.contract.LeaseManagerContract;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The S3 store and DynamoDB lease contract suites, EventBridge PutEvents and the NATS secret, on
 * LocalStack: by default its own runtime started on the host ({@link LocalStackHost}, DynamoDB and
 * Secrets Manager on moto's server), or the endpoint in {@code -Dtidemark.aws.endpoint} /
 * {@code TIDEMARK_AWS_ENDPOINT}, or {@code -Dtidemark.aws.endpoint=testcontainers} for a LocalStack
 * container (needs Docker). Whatever was asked for and cannot start fails the suite; nothing skips.
 */
class AwsLocalStackIT {
    static final LocalStackHost host = new LocalStackHost();
    static LocalStackContainer container;
    static S3Client s3;
    static DynamoDbClient ddb;
    static EventBridgeClient events;
    static SecretsManagerClient secrets;

    static URI endpoint(String service) {
        return container != null ? container.getEndpoint() : host.endpoint(service);
    }

    @BeforeAll
    static void start() {
        if ("testcontainers".equals(System.getProperty(LocalStackHost.PROPERTY))) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException("-Dtidemark.aws.endpoint=testcontainers needs a Docker engine and found"
                        + " none: leave the property out to run LocalStack on the host");
            }
            container = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"));
            container.start();
        }
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testaccess", "testsecret"));
        s3 = S3Client.builder().endpointOverride(endpoint("s3")).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
        ddb = DynamoDbClient.builder().endpointOverride(endpoint("dynamodb")).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
        events = EventBridgeClient.builder().endpointOverride(endpoint("events")).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
        secrets = SecretsManagerClient.builder().endpointOverride(endpoint("secretsmanager")).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Nested
    class S3Store extends SnapshotStoreContract {
        @Override
        protected SnapshotStore newStore() {
            String bucket = "ls-" + UUID.randomUUID().toString().substring(0, 12);
            s3.createBucket(b -> b.bucket(bucket));
            return new S3SnapshotStore(s3, S3StoreConfig.of(bucket, "harmonylite"));
        }

        @Override
        protected boolean atomicUnderRaces() {
            return false; // emulated conditional writes; race safety is proven on atomic stores
        }
    }

    @Nested
    class DynamoDbLease extends LeaseManagerContract {
        @Override
        protected LeaseManager newManager() {
            String table = "leases-" + UUID.randomUUID().toString().substring(0, 8);
            ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("name")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("name").keyType(KeyType.HASH).build()));
            return new DynamoDbLeaseManager(ddb, DynamoDbLeaseConfig.of(table, "harmonylite"));
        }

        @Override
        protected boolean atomicUnderRaces() {
            // moto's server (the host default) grants a conditional UpdateItem to several racers at once;
            // DynamoDB Local proves the race (DynamoDbLeaseManagerIT), as a LocalStack container would.
            return container != null || LocalStackHost.configured();
        }
    }

    @Test
    void eventBridge_acceptsTidemarksEvents_onItsBus() {
        String bus = "tidemark-" + UUID.randomUUID().toString().substring(0, 8);
        events.createEventBus(b -> b.name(bus));
        new EventBridgeEventPublisher(events, bus).publish(new TidemarkEvent(TidemarkEvent.Type.SnapshotCreated,
                "harmonylite", Map.of("snapshotId", "20261202T000000Z-000000000000")));
        assertThat(events.listEventBuses(b -> b.namePrefix(bus)).eventBuses()).hasSize(1);
    }

    @Test
    void secretsManager_givesTheNatsCredentials() {
        String name = "nats-" + UUID.randomUUID().toString().substring(0, 8);
        String arn = secrets.createSecret(b -> b.name(name).secretString("{\"user\":\"tidemark\",\"password\":\"s3cret\"}"))
                .arn();
        NatsAuth c = NatsCredentials.fromSecret(secrets, arn);
        assertThat(c).isEqualTo(new NatsAuth.UserPassword("tidemark", "s3cret", "secret " + arn));
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void s3_composesAnObjectFromServerSideCopiesOfTheOldOnesChunks() throws Exception {
        String bucket = "ls-" + UUID.randomUUID().toString().substring(0, 12);
        s3.createBucket(b -> b.bucket(bucket));
        S3SnapshotStore store = new S3SnapshotStore(s3, S3StoreConfig.of(bucket, "c"));
        long chunk = store.minChunkBytes();
        byte[] old = new byte[(int) (2 * chunk + 100)];
        new java.util.Random(5).nextBytes(old);
        store.replace("snapshot.db", new java.io.ByteArrayInputStream(old), old.length);
        byte[] next = old.clone();
        next[(int) (2 * chunk + 7)] ^= 1; // only the last chunk changes
        java.nio.file.Path file = java.nio.file.Files.createTempFile("compose", ".db");
        try {
            java.nio.file.Files.write(file, next);
            java.util.BitSet reuse = new java.util.BitSet();
            reuse.set(0, 2);
            assertThat(store.replaceReusing("snapshot.db", file, chunk, reuse, store.stat("snapshot.db").orElseThrow()))
                    .isEqualTo(100);
            try (java.io.InputStream in = store.open("snapshot.db")) {
                assertThat(in.readAllBytes()).isEqualTo(next);
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
