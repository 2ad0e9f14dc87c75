package io.tidemark.functions;

import java.net.URI;
import java.util.UUID;
import io.tidemark.fixtures.aws.LocalStackHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * The same handler suite with S3 and DynamoDB in LocalStack (mvn -Plocalstack): by default its own
 * runtime started on the host ({@link LocalStackHost}; DynamoDB on moto's server), or the endpoint in
 * {@code -Dtidemark.aws.endpoint} / {@code TIDEMARK_AWS_ENDPOINT}, or a Testcontainers LocalStack with
 * {@code -Dtidemark.aws.endpoint=testcontainers}. What was asked for and cannot start fails the suite.
 */
class HandlersLocalStackIT extends HandlersContract {
    static final LocalStackHost host = new LocalStackHost();
    static LocalStackContainer localstack;
    static S3Client s3;
    static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        if ("testcontainers".equals(System.getProperty(LocalStackHost.PROPERTY))) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException("-Dtidemark.aws.endpoint=testcontainers needs a Docker engine and found"
                        + " none: leave the property out to run LocalStack on the host");
            }
            localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"));
            localstack.start();
        }
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testaccess", "testsecret"));
        s3 = S3Client.builder().endpointOverride(endpoint("s3")).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
        ddb = DynamoDbClient.builder().endpointOverride(endpoint("dynamodb")).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static URI endpoint(String service) {
        return localstack != null ? localstack.getEndpoint() : host.endpoint(service);
    }

    @AfterAll
    static void stop() {
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Override
    protected AwsHarness.Emulators aws() {
        return new AwsHarness.Emulators() {
            public URI s3Endpoint() {
                return endpoint("s3");
            }

            public S3Client s3Client() {
                return s3;
            }

            public String newBucket() {
                String name = "ls-" + UUID.randomUUID().toString().substring(0, 12);
                s3.createBucket(b -> b.bucket(name));
                return name;
            }

            public URI dynamoDbEndpoint() {
                return endpoint("dynamodb");
            }

            public DynamoDbClient dynamoDbClient() {
                return ddb;
            }

            public String newLeaseTable() {
                String name = "leases-" + UUID.randomUUID().toString().substring(0, 8);
                ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("name")
                                .attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("name").keyType(KeyType.HASH).build()));
                return name;
            }
        };
    }
}
