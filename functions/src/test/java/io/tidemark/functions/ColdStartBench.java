package io.tidemark.functions;

import io.nats.client.Connection;
import io.tidemark.backends.dynamodb.DynamoDbLeaseConfig;
import io.tidemark.backends.dynamodb.DynamoDbLeaseManager;
import io.tidemark.backends.s3.S3SnapshotStore;
import io.tidemark.backends.s3.S3StoreConfig;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.Publisher;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.fixtures.aws.DynamoDbLocalExtension;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import io.tidemark.fixtures.nats.HarmonyLiteStreams;
import io.tidemark.fixtures.nats.NatsServerProcess;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold start: a new JVM on target/tidemark-functions.jar to the first Build return on an empty stream,
 * against nats-server, S3Proxy and DynamoDB Local, beside a JVM that only starts. Run:
 * {@code mvn -q -pl functions test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.tidemark.functions.ColdStartBench} after {@code mvn -pl functions -am package}.
 */
public final class ColdStartBench {
    private ColdStartBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path jar = Path.of("target/tidemark-functions.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            jar = Path.of("functions/target/tidemark-functions.jar").toAbsolutePath();
        }
        Path dir = Files.createTempDirectory("coldstart");
        S3ProxyExtension s3 = new S3ProxyExtension();
        DynamoDbLocalExtension ddb = new DynamoDbLocalExtension();
        RecordingHttpEndpoint events = RecordingHttpEndpoint.eventBridge();
        s3.beforeAll(null);
        ddb.beforeAll(null);
        events.beforeAll(null);
        try (NatsServerProcess nats = NatsServerProcess.start(dir.resolve("nats"))) {
            ClusterConfig cluster = ClusterConfig.defaults().withPrefixes("cold", "cold-change");
            String bucket = s3.newBucket();
            String table = ddb.newLeaseTable();
            new Publisher(cluster, new S3SnapshotStore(s3.client(), S3StoreConfig.of(bucket, "cold")),
                    new DynamoDbLeaseManager(ddb.client(), DynamoDbLeaseConfig.of(table, "cold")),
                    BuildOptions.builder(dir.resolve("work")).build()).seedFromSchema(WorkloadSchema.SQL);
            try (Connection nc = io.nats.client.Nats.connect(nats.url())) {
                HarmonyLiteStreams.ensure(nc, cluster);
            }
            Map<String, String> env = Map.of("TIDEMARK_CLUSTER", "cold", "TIDEMARK_SUBJECT_PREFIX", "cold-change",
                    "TIDEMARK_NATS_URLS", nats.url(), "TIDEMARK_BUCKET", bucket, "TIDEMARK_LEASE_TABLE", table,
                    "TIDEMARK_S3_ENDPOINT", s3.endpoint().toString(), "TIDEMARK_DYNAMODB_ENDPOINT",
                    ddb.endpoint().toString(), "TIDEMARK_EVENTS_ENDPOINT", events.endpoint().toString(),
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", S3ProxyExtension.ACCESS_KEY);
            List<Long> build = new ArrayList<>();
            List<Long> base = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                base.add(run(jar, env, true));
                build.add(run(jar, env, false));
            }
            build.sort(null);
            base.sort(null);
            System.out.printf("machine: %d cores, java %s, jar %.1f MB%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), Files.size(jar) / 1e6);
            System.out.printf("cold start to first Build return (empty stream), median of %d: %d ms (min %d, max %d)"
                    + " | JVM start to main, same jar: %d ms | target <= 2000 ms%n", runs, build.get(runs / 2),
                    build.get(0), build.get(runs - 1), base.get(runs / 2));
        } finally {
            events.afterAll(null);
            ddb.afterAll(null);
            s3.afterAll(null);
        }
        System.exit(0); // the emulators' and Log4j's threads would otherwise keep the JVM up
    }

    private static long run(Path jar, Map<String, String> env, boolean baseline) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", jar.toString(), ColdStartProbe.class.getName()));
        if (baseline) {
            cmd.add("--baseline");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyExtension.SECRET_KEY);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        String line = out.lines().filter(l -> l.startsWith("ready-ms")).findFirst()
                .orElseThrow(() -> new IllegalStateException("probe failed:\n" + out));
        if (!baseline && !line.contains("outcome skipped")) {
            throw new IllegalStateException("expected a skipped build on an empty stream: " + line);
        }
        return Long.parseLong(line.split(" ")[1]);
    }
}
