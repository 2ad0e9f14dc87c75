package io.tidemark.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.tidemark.backends.dynamodb.DynamoDbLeaseConfig;
import io.tidemark.backends.dynamodb.DynamoDbLeaseManager;
import io.tidemark.backends.s3.S3SnapshotStore;
import io.tidemark.backends.s3.S3StoreConfig;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.Publisher;
import io.tidemark.fixtures.aws.DynamoDbLocalExtension;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** One cluster on real nats-server, S3Proxy and DynamoDB Local, with EventBridge and Lambda recorded. */
final class AwsHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Map<String, String> env = new HashMap<>();
    final FunctionConfig config;
    final Wiring wiring;
    final S3SnapshotStore store;
    final DynamoDbLeaseManager leases;
    final Connection nc;
    final WorkloadGenerator gen;
    final Path work;

    /** Where S3 and DynamoDB come from: in-process emulators, or LocalStack under -Plocalstack. */
    interface Emulators {
        java.net.URI s3Endpoint();

        software.amazon.awssdk.services.s3.S3Client s3Client();

        String newBucket();

        java.net.URI dynamoDbEndpoint();

        software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDbClient();

        String newLeaseTable();

        static Emulators of(S3ProxyExtension s3, DynamoDbLocalExtension ddb) {
            return new Emulators() {
                public java.net.URI s3Endpoint() {
                    return s3.endpoint();
                }

                public software.amazon.awssdk.services.s3.S3Client s3Client() {
                    return s3.client();
                }

                public String newBucket() {
                    return s3.newBucket();
                }

                public java.net.URI dynamoDbEndpoint() {
                    return ddb.endpoint();
                }

                public software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDbClient() {
                    return ddb.client();
                }

                public String newLeaseTable() {
                    return ddb.newLeaseTable();
                }
            };
        }
    }

    AwsHarness(NatsServerExtension nats, S3ProxyExtension s3, DynamoDbLocalExtension ddb, RecordingHttpEndpoint events,
               RecordingHttpEndpoint lambda, Map<String, String> extra) throws Exception {
        this(nats, Emulators.of(s3, ddb), events, lambda, extra);
    }

    AwsHarness(NatsServerExtension nats, Emulators aws, RecordingHttpEndpoint events, RecordingHttpEndpoint lambda,
               Map<String, String> extra) throws Exception {
        String prefix = "f" + UUID.randomUUID().toString().substring(0, 7);
        env.put("TIDEMARK_CLUSTER", prefix);
        env.put("TIDEMARK_SUBJECT_PREFIX", prefix + "-change");
        env.put("TIDEMARK_SHARDS", "2");
        env.put("TIDEMARK_MAX_ENTRIES", "100000");
        env.put("TIDEMARK_NATS_URLS", nats.url());
        env.put("TIDEMARK_BUCKET", aws.newBucket());
        env.put("TIDEMARK_LEASE_TABLE", aws.newLeaseTable());
        env.put("TIDEMARK_EVENT_BUS", "tidemark-bus");
        env.put("TIDEMARK_BUILD_FUNCTION", "tidemark-build");
        env.put("TIDEMARK_S3_ENDPOINT", aws.s3Endpoint().toString());
        env.put("TIDEMARK_DYNAMODB_ENDPOINT", aws.dynamoDbEndpoint().toString());
        env.put("TIDEMARK_EVENTS_ENDPOINT", events.endpoint().toString());
        env.put("TIDEMARK_LAMBDA_ENDPOINT", lambda.endpoint().toString());
        env.putAll(extra);
        config = FunctionConfig.from(env);
        wiring = new Wiring(config);
        store = new S3SnapshotStore(aws.s3Client(), S3StoreConfig.of(config.bucket(), config.prefix()));
        leases = new DynamoDbLeaseManager(aws.dynamoDbClient(), DynamoDbLeaseConfig.of(config.leaseTable(), prefix));
        work = Files.createTempDirectory(nats.tempDir(), prefix);
        new Publisher(config.cluster(), store, leases, BuildOptions.builder(work).build()).seedFromSchema(WorkloadSchema.SQL);
        nc = nats.connect();
        gen = new WorkloadGenerator(config.cluster(), 17);
    }

    void publish(long n) {
        WorkloadPublisher.publish(nc, config.cluster(), gen::next, n);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sample(String name) throws Exception {
        try (InputStream in = AwsHarness.class.getResourceAsStream("/samples/" + name)) {
            return JSON.readValue(in, Map.class);
        }
    }

    /** A sample event retargeted at this harness's cluster (alarm names carry the cluster). */
    Map<String, Object> alarm(String name) throws Exception {
        String text = JSON.writeValueAsString(sample(name)).replace("harmonylite-pending", config.cluster().cluster()
                + "-pending");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.readValue(text, Map.class);
        return m;
    }

    @Override
    public void close() throws Exception {
        nc.close();
    }
}
