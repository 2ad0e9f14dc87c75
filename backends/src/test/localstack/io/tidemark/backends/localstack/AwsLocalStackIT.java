package io.tidemark.backends.localstack;

import io.tidemark.backends.dynamodb.DynamoDbLeaseConfig;
import io.tidemark.backends.dynamodb.DynamoDbLeaseManager;
import io.tidemark.backends.s3.S3SnapshotStore;
import io.tidemark.backends.s3.S3StoreConfig;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.fixtures.contract.LeaseManagerContract;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
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
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 store and DynamoDB lease contract suites against LocalStack. Without a Docker engine this
 * fails, on purpose: a suite that silently skips would pass CI while testing nothing.
 */
class AwsLocalStackIT {
    static LocalStackContainer localstack;
    static S3Client s3;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("the LocalStack suite (-Plocalstack) needs a Docker engine and found none:"
                    + " start Docker, or run the default suite (./test), which uses S3Proxy and DynamoDB Local");
        }
        localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"));
        localstack.start();
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(localstack.getAccessKey(),
                localstack.getSecretKey()));
        s3 = S3Client.builder().endpointOverride(localstack.getEndpoint()).forcePathStyle(true)
                .region(Region.of(localstack.getRegion())).credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create()).build();
        ddb = DynamoDbClient.builder().endpointOverride(localstack.getEndpoint())
                .region(Region.of(localstack.getRegion())).credentialsProvider(creds)
                .httpClient(UrlConnectionHttpClient.create()).build();
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
    }
}
