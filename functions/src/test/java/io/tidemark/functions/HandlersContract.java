package io.tidemark.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.store.StoreLayout;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each handler end to end on a real nats-server, with EventBridge and Lambda recorded by local
 * endpoints; S3 and DynamoDB come from the subclass: in-process emulators ({@link HandlersIT}) or
 * LocalStack ({@code HandlersLocalStackIT}, -Plocalstack).
 */
abstract class HandlersContract {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();
    @RegisterExtension
    static RecordingHttpEndpoint events = RecordingHttpEndpoint.eventBridge();
    @RegisterExtension
    static RecordingHttpEndpoint lambda = RecordingHttpEndpoint.lambda();

    protected abstract AwsHarness.Emulators aws();

    @BeforeEach
    void clear() {
        events.clear();
        lambda.clear();
    }

    private AwsHarness harness(Map<String, String> extra) throws Exception {
        return new AwsHarness(nats, aws(), events, lambda, extra);
    }

    private static List<String> detailTypes() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (RecordingHttpEndpoint.Request r : events.requests()) {
            for (JsonNode e : AwsHarness.JSON.readTree(r.body()).get("Entries")) {
                out.add(e.get("DetailType").asText());
            }
        }
        return out;
    }

    @Test
    void schedule_buildsASnapshotInS3_movesHead_andSendsSnapshotCreated() throws Exception {
        try (AwsHarness h = harness(Map.of())) {
            h.publish(3_000);
            Head before = Catalog.requireHead(h.store).head();
            Map<String, Object> out = new BuildHandler(h.wiring).handleRequest(AwsHarness.sample("scheduled-event.json"), null);
            assertThat(out).containsEntry("outcome", "created").containsEntry("trigger", "schedule")
                    .containsEntry("changesApplied", 3_000L);
            Head after = Catalog.requireHead(h.store).head();
            assertThat(after.snapshot()).isEqualTo(out.get("snapshotId")).isNotEqualTo(before.snapshot());
            assertThat(h.store.list(StoreLayout.SNAPSHOTS)).contains(StoreLayout.databaseKey(after.snapshot()),
                    StoreLayout.manifestKey(after.snapshot()));
            assertThat(detailTypes()).containsExactly("SnapshotCreated");
            JsonNode entry = AwsHarness.JSON.readTree(events.requests().get(0).body()).get("Entries").get(0);
            assertThat(entry.get("Source").asText()).isEqualTo("tidemark");
            assertThat(entry.get("EventBusName").asText()).isEqualTo("tidemark-bus");
        }
    }

    @Test
    void alarmToAlarm_builds_otherStatesAndMalformedEvents_doNot() throws Exception {
        try (AwsHarness h = harness(Map.of())) {
            h.publish(500);
            BuildHandler handler = new BuildHandler(h.wiring);
            Map<String, Object> ok = handler.handleRequest(h.alarm("alarm-threshold-ok.json"), null);
            assertThat(ok).containsEntry("outcome", "skipped");
            assertThat((String) ok.get("message")).contains("only a change to ALARM");
            Map<String, Object> bad = handler.handleRequest(Map.of("detail-type", "Something Else"), null);
            assertThat(bad).containsEntry("outcome", "rejected");
            assertThat((String) bad.get("message")).contains("'Something Else'");
            String head = Catalog.requireHead(h.store).head().snapshot();
            assertThat(events.requests()).isEmpty();

            Map<String, Object> built = handler.handleRequest(h.alarm("alarm-emergency.json"), null);
            assertThat(built).containsEntry("outcome", "created").containsEntry("trigger", "emergency");
            assertThat(Catalog.requireHead(h.store).head().snapshot()).isNotEqualTo(head);
            assertThat(handler.handleRequest(h.alarm("alarm-headroom.json"), null)).containsEntry("outcome", "skipped")
                    .containsEntry("trigger", "headroom");
        }
    }

    @Test
    void monitor_emitsEmf_andReinvokesBuildWhenATriggerStaysDue() throws Exception {
        try (AwsHarness h = harness(Map.of("TIDEMARK_THRESHOLD", "1000", "TIDEMARK_EMERGENCY", "90000"))) {
            h.publish(1_200);
            MonitorHandler monitor = new MonitorHandler(h.wiring);
            PrintStream old = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            Map<String, Object> first;
            try {
                System.setOut(new PrintStream(captured, true));
                first = monitor.handleRequest(Map.of(), null);
            } finally {
                System.setOut(old);
            }
            JsonNode emf = captured.toString().lines().filter(l -> l.contains("\"_aws\""))
                    .map(l -> {
                        try {
                            return AwsHarness.JSON.readTree(l);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).filter(n -> n.has("PendingChanges")).findFirst().orElseThrow();
            assertThat(emf.get("PendingChanges").asDouble()).isEqualTo(1_200);
            assertThat(emf.get("PendingRatio").asDouble()).isBetween(0.0, 0.02);
            assertThat(emf.get("GapDetected").asDouble()).isZero();
            assertThat(emf.get("SnapshotAgeSeconds").asDouble()).isBetween(0.0, 120.0);
            assertThat(emf.get("Cluster").asText()).isEqualTo(h.config.cluster().cluster());
            assertThat(emf.get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText()).isEqualTo("Tidemark");
            assertThat(first).containsEntry("due", "threshold").containsEntry("buildInvoked", null);
            assertThat(lambda.requests()).isEmpty();

            Map<String, Object> second = monitor.handleRequest(Map.of(), null);
            assertThat((String) second.get("buildInvoked")).startsWith("monitor-");
            assertThat(lambda.requests()).hasSize(1);
            RecordingHttpEndpoint.Request invoke = lambda.requests().get(0);
            assertThat(invoke.path()).contains("/functions/tidemark-build/invocations");
            assertThat(invoke.header("X-Amz-Invocation-Type")).isEqualTo("Event");
            assertThat(AwsHarness.JSON.readTree(invoke.body()).get("trigger").asText()).isEqualTo("threshold");
            assertThat(monitor.handleRequest(Map.of(), null)).containsEntry("buildInvoked", null); // counting afresh
        }
    }

    @Test
    void verify_passesAGoodSnapshot_andCatchesACorruptedObject() throws Exception {
        try (AwsHarness h = harness(Map.of())) {
            h.publish(800);
            new BuildHandler(h.wiring).handleRequest(AwsHarness.sample("manual-build-request.json"), null);
            events.clear();
            VerifyHandler verify = new VerifyHandler(h.wiring);
            assertThat(verify.handleRequest(Map.of(), null)).containsEntry("ok", true);
            String id = Catalog.requireHead(h.store).head().snapshot();
            String key = h.config.prefix() + "/" + StoreLayout.databaseKey(id);
            byte[] bytes = aws().s3Client().getObjectAsBytes(b -> b.bucket(h.config.bucket()).key(key)).asByteArray();
            bytes[bytes.length / 3] ^= 0x21;
            aws().s3Client().putObject(b -> b.bucket(h.config.bucket()).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
            Map<String, Object> bad = verify.handleRequest(Map.of(), null);
            assertThat(bad).containsEntry("ok", false);
            assertThat((String) bad.get("problem")).contains(id);
            assertThat(detailTypes()).containsExactly("RestoreVerified", "RestoreVerificationFailed");
        }
    }

    private static APIGatewayV2HTTPEvent request(String sample, String method, String path, String body) throws Exception {
        APIGatewayV2HTTPEvent e = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                HandlersContract.class.getClassLoader()).fromJson(HandlersContract.class.getResourceAsStream("/samples/" + sample));
        e.getRequestContext().getHttp().setMethod(method);
        e.setRawPath(path);
        e.setBody(body);
        return e;
    }

    @Test
    void trigger_httpContract() throws Exception {
        try (AwsHarness h = harness(Map.of())) {
            h.publish(100);
            TriggerHandler t = new TriggerHandler(h.wiring);
            APIGatewayV2HTTPResponse post = t.handleRequest(request("url-post-snapshots.json", "POST", "/snapshots",
                    "{\"force\":true}"), null);
            assertThat(post.getStatusCode()).isEqualTo(202);
            String requestId = AwsHarness.JSON.readTree(post.getBody()).get("requestId").asText();
            assertThat(lambda.requests()).hasSize(1);
            JsonNode payload = AwsHarness.JSON.readTree(lambda.requests().get(0).body());
            assertThat(payload.get("requestId").asText()).isEqualTo(requestId);
            assertThat(payload.get("force").asBoolean()).isTrue();

            APIGatewayV2HTTPResponse list = t.handleRequest(request("url-get-snapshots.json", "GET", "/snapshots", null), null);
            assertThat(list.getStatusCode()).isEqualTo(200);
            JsonNode snaps = AwsHarness.JSON.readTree(list.getBody()).get("snapshots");
            assertThat(snaps).hasSize(1);
            assertThat(snaps.get(0).get("head").asBoolean()).isTrue();

            APIGatewayV2HTTPResponse status = t.handleRequest(request("url-get-status.json", "GET", "/status", null), null);
            assertThat(AwsHarness.JSON.readTree(status.getBody()).get("pendingChanges").asLong()).isEqualTo(100);

            assertThat(t.handleRequest(request("url-get-status.json", "PUT", "/snapshots", null), null).getStatusCode())
                    .isEqualTo(405);
            assertThat(t.handleRequest(request("url-get-status.json", "GET", "/nope", null), null).getStatusCode())
                    .isEqualTo(404);
            APIGatewayV2HTTPResponse badJson = t.handleRequest(request("url-post-snapshots.json", "POST", "/snapshots",
                    "{force"), null);
            assertThat(badJson.getStatusCode()).isEqualTo(400);
            assertThat(badJson.getBody()).contains("not JSON");
            assertThat(t.handleRequest(request("url-post-snapshots.json", "POST", "/snapshots", "{\"force\":\"yes\"}"),
                    null).getBody()).contains("\\\"force\\\" must be true or false");
            assertThat(lambda.requests()).hasSize(1);
        }
    }

    @Test
    void config_errorsNameTheVariable() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("TIDEMARK_BUCKET", "b-ok", "TIDEMARK_NATS_URLS",
                "nats://h:4222", "TIDEMARK_SHARDS", "two"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FunctionConfig.from(env))
                .hasMessageContaining("TIDEMARK_SHARDS must be an integer, got 'two'");
        env.put("TIDEMARK_SHARDS", "1");
        env.remove("TIDEMARK_NATS_URLS");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FunctionConfig.from(env))
                .hasMessageContaining("TIDEMARK_NATS_URLS is not set");
        env.put("TIDEMARK_NATS_URLS", "http://x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FunctionConfig.from(env))
                .hasMessageContaining("TIDEMARK_NATS_URLS: 'http://x'");
    }
}
