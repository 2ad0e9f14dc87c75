package io.tidemark.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.core.build.BuilderJvm;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.store.StoreLayout;
import io.tidemark.fixtures.aws.DynamoDbLocalExtension;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The four handlers of the packaged jar, each in its own process under the real Lambda runtime
 * (aws-lambda-rie + the Java runtime interface client, as the AWS base image runs them), invoked over
 * HTTP with the sample events from events/, on a real nats-server, S3Proxy and DynamoDB Local. Proves
 * the handler names, the serialization of the real event shapes, the environment wiring and cold
 * start with no test-only path. Runs in failsafe's integration-test phase, after package.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LambdaRuntimeIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();
    @RegisterExtension
    static DynamoDbLocalExtension ddb = new DynamoDbLocalExtension();
    @RegisterExtension
    static RecordingHttpEndpoint events = RecordingHttpEndpoint.eventBridge();
    @RegisterExtension
    static RecordingHttpEndpoint lambda = RecordingHttpEndpoint.lambda();

    static AwsHarness h;
    static LambdaRuntimeProcess build;
    static LambdaRuntimeProcess monitor;
    static LambdaRuntimeProcess verify;
    static LambdaRuntimeProcess trigger;

    @BeforeAll
    static void start() throws Exception {
        h = new AwsHarness(nats, s3, ddb, events, lambda, Map.of());
        Path logs = nats.tempDir().resolve("rie");
        build = LambdaRuntimeProcess.start("io.tidemark.functions.BuildHandler::handleRequest", builderEnv(), logs);
        monitor = LambdaRuntimeProcess.start("io.tidemark.functions.MonitorHandler::handleRequest", env(), logs);
        verify = LambdaRuntimeProcess.start("io.tidemark.functions.VerifyHandler::handleRequest", builderEnv(), logs);
        trigger = LambdaRuntimeProcess.start("io.tidemark.functions.TriggerHandler::handleRequest", env(), logs);
    }

    /** What the CDK app sets, pointed at the emulators; credentials as Lambda gives them (environment). */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(h.env);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", S3ProxyExtension.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyExtension.SECRET_KEY);
        env.put("POWERTOOLS_SERVICE_NAME", "tidemark");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "Tidemark");
        env.remove("AWS_EMF_ENVIRONMENT"); // as in Lambda: EMF documents go to stdout, the runtime's log
        return env;
    }

    /** Build's and Verify's: the CDK app adds the builder's JVM options. */
    static Map<String, String> builderEnv() {
        Map<String, String> env = env();
        env.put("JAVA_TOOL_OPTIONS", BuilderJvm.toolOptions());
        return env;
    }

    @AfterAll
    static void stop() throws Exception {
        for (LambdaRuntimeProcess p : new LambdaRuntimeProcess[] {build, monitor, verify, trigger}) {
            if (p != null) {
                p.close();
            }
        }
        if (h != null) {
            h.close();
        }
    }

    @BeforeEach
    void clear() {
        events.clear();
        lambda.clear();
    }

    private static JsonNode invoke(LambdaRuntimeProcess p, Object event) throws Exception {
        String json = event instanceof String s ? s : AwsHarness.JSON.writeValueAsString(event);
        return AwsHarness.JSON.readTree(p.invoke(json));
    }

    private static String sampleText(String name) throws Exception {
        return AwsHarness.JSON.writeValueAsString(AwsHarness.sample(name));
    }

    /** The lease items in the table, as DynamoDB holds them. */
    private static List<Map<String, AttributeValue>> leaseItems() {
        return ddb.client().scan(ScanRequest.builder().tableName(h.config.leaseTable()).build()).items();
    }

    private static long token() {
        List<Map<String, AttributeValue>> items = leaseItems();
        assertThat(items).hasSize(1);
        return Long.parseLong(items.get(0).get("token").n());
    }

    @Test
    @Order(1)
    void build_scheduledEvent_createsASnapshot_movesHead_andReleasesTheLease() throws Exception {
        h.publish(2_000);
        Head before = Catalog.requireHead(h.store).head();
        JsonNode out = invoke(build, sampleText("scheduled-event.json"));
        assertThat(out.get("outcome").asText()).as(out.toString()).isEqualTo("created");
        assertThat(out.get("trigger").asText()).isEqualTo("schedule");
        assertThat(out.get("changesApplied").asLong()).isEqualTo(2_000);
        Head after = Catalog.requireHead(h.store).head();
        assertThat(after.snapshot()).isEqualTo(out.get("snapshotId").asText()).isNotEqualTo(before.snapshot());
        assertThat(h.store.list(StoreLayout.SNAPSHOTS)).contains(StoreLayout.databaseKey(after.snapshot()));

        Map<String, AttributeValue> lease = leaseItems().get(0);
        assertThat(lease.get("holder").s()).isEqualTo("lambda/$LATEST"); // the runtime's log stream name
        assertThat(Long.parseLong(lease.get("token").n())).isEqualTo(after.leaseToken());
        assertThat(Long.parseLong(lease.get("expiresAt").n())).isZero(); // released when the build returned
        assertThat(AwsHarness.JSON.readTree(events.requests().get(0).body()).get("Entries").get(0).get("DetailType")
                .asText()).isEqualTo("SnapshotCreated");

        String log = build.output();
        assertThat(log).contains("Init Duration"); // the runtime's REPORT line of a cold start
        // The JVM says so when it takes JAVA_TOOL_OPTIONS: the build ran with C2, not C1 alone.
        assertThat(log).contains("Picked up JAVA_TOOL_OPTIONS: -XX:+TieredCompilation -XX:TieredStopAtLevel=4");
        assertThat(monitor.output()).doesNotContain("JAVA_TOOL_OPTIONS");
        assertThat(log).contains("\"CloudWatchMetrics\"").contains("BuildSucceeded");
        // Powertools' JSON log lines, with the invocation's fields
        String line = log.lines().filter(l -> l.startsWith("{") && l.contains("build created")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON log line of the build in " + build.log));
        JsonNode json = AwsHarness.JSON.readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("cold_start").asBoolean()).isTrue();
        assertThat(json.get("function_name").asText()).isEqualTo("tidemark-it-BuildHandler");
        assertThat(json.get("function_request_id").asText()).isNotBlank();
        assertThat(json.get("service").asText()).isEqualTo("tidemark");
    }

    @Test
    @Order(2)
    void build_alarmStateChange_buildsOnAlarm_andIgnoresAReturnToOk() throws Exception {
        h.publish(300);
        long token = token();
        JsonNode out = invoke(build, h.alarm("alarm-threshold.json"));
        assertThat(out.get("outcome").asText()).as(out.toString()).isEqualTo("created");
        assertThat(out.get("trigger").asText()).isEqualTo("threshold");
        assertThat(out.get("changesApplied").asLong()).isEqualTo(300);
        assertThat(token()).isGreaterThan(token);

        JsonNode ok = invoke(build, h.alarm("alarm-threshold-ok.json"));
        assertThat(ok.get("outcome").asText()).isEqualTo("skipped");
        assertThat(ok.get("message").asText()).contains("only a change to ALARM");
        String warm = build.output().lines().filter(l -> l.startsWith("{") && l.contains("only a change to ALARM"))
                .findFirst().orElseThrow();
        assertThat(AwsHarness.JSON.readTree(warm).get("cold_start").asBoolean()).isFalse();
    }

    @Test
    @Order(3)
    void build_manualRequest_echoesItsRequestId_andAMalformedEventIsRejected() throws Exception {
        String head = Catalog.requireHead(h.store).head().snapshot();
        JsonNode out = invoke(build, sampleText("manual-build-request.json"));
        assertThat(out.get("outcome").asText()).as(out.toString()).isEqualTo("skipped"); // nothing new
        assertThat(out.get("trigger").asText()).isEqualTo("manual");
        assertThat(out.get("requestId").asText()).isEqualTo("http-6f1c2d3e-0000-4000-8000-000000000001");
        assertThat(Catalog.requireHead(h.store).head().snapshot()).isEqualTo(head);

        JsonNode bad = invoke(build, "{\"detail-type\":\"Something Else\",\"source\":\"aws.events\"}");
        assertThat(bad.get("outcome").asText()).isEqualTo("rejected");
        assertThat(build.alive()).isTrue();
    }

    @Test
    @Order(4)
    void trigger_functionUrlRequests_queueABuild_listSnapshots_andReportStatus() throws Exception {
        JsonNode post = invoke(trigger, sampleText("url-post-snapshots.json"));
        assertThat(post.get("statusCode").asInt()).as(post.toString()).isEqualTo(202);
        String requestId = AwsHarness.JSON.readTree(post.get("body").asText()).get("requestId").asText();
        assertThat(lambda.requests()).hasSize(1);
        RecordingHttpEndpoint.Request invoke = lambda.requests().get(0);
        assertThat(invoke.path()).contains("/functions/tidemark-build/invocations");
        assertThat(invoke.header("X-Amz-Invocation-Type")).isEqualTo("Event");
        JsonNode queued = AwsHarness.JSON.readTree(invoke.body());
        assertThat(queued.get("requestId").asText()).isEqualTo(requestId);
        assertThat(queued.get("force").asBoolean()).isTrue();

        JsonNode list = invoke(trigger, sampleText("url-get-snapshots.json"));
        assertThat(list.get("statusCode").asInt()).isEqualTo(200);
        List<String> heads = new ArrayList<>();
        for (JsonNode s : AwsHarness.JSON.readTree(list.get("body").asText()).get("snapshots")) {
            if (s.get("head").asBoolean()) {
                heads.add(s.get("id").asText());
            }
        }
        assertThat(heads).containsExactly(Catalog.requireHead(h.store).head().snapshot());

        h.publish(40);
        JsonNode status = invoke(trigger, sampleText("url-get-status.json"));
        assertThat(status.get("statusCode").asInt()).isEqualTo(200);
        assertThat(AwsHarness.JSON.readTree(status.get("body").asText()).get("pendingChanges").asLong()).isEqualTo(40);
    }

    @Test
    @Order(5)
    void monitor_andVerify_onTheirSchedules_reportHead() throws Exception {
        String head = Catalog.requireHead(h.store).head().snapshot();
        JsonNode m = invoke(monitor, sampleText("scheduled-event.json"));
        assertThat(m.get("head").asText()).as(m.toString()).isEqualTo(head);
        assertThat(m.get("pendingChanges").asLong()).isEqualTo(40);
        assertThat(m.get("gap").asBoolean()).isFalse();

        JsonNode v = invoke(verify, sampleText("scheduled-event.json"));
        assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
        assertThat(events.requests()).hasSize(1);
        assertThat(events.requests().get(0).body()).contains("RestoreVerified");
    }

    @Test
    @Order(6)
    void aWrongEnvironmentValue_failsTheInvocation_namingTheVariable() throws Exception {
        Map<String, String> env = env();
        env.put("TIDEMARK_SHARDS", "two");
        try (LambdaRuntimeProcess p = LambdaRuntimeProcess.start("io.tidemark.functions.BuildHandler::handleRequest",
                env, nats.tempDir().resolve("rie"))) {
            String out = p.invokeRaw(sampleText("scheduled-event.json"));
            assertThat(out).contains("TIDEMARK_SHARDS must be an integer, got 'two'");
        }
    }
}
