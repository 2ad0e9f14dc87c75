package io.tidemark.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.tidemark.fixtures.aws.DynamoDbLocalExtension;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SnapStart's hooks, run as Lambda runs them around a checkpoint and a restore, on a real
 * nats-server, S3Proxy and DynamoDB Local: the restored handler builds, on a new NATS connection,
 * and the connection from before the checkpoint is closed, never reused.
 */
class SnapStartHooksIT {
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

    @Test
    void afterRestore_theHandlerBuildsOnANewConnection_andTheOldOneIsClosed() throws Exception {
        try (AwsHarness h = new AwsHarness(nats, s3, ddb, events, lambda, Map.of())) {
            BuildHandler handler = new BuildHandler(h.wiring);
            SnapStartHooks hooks = new SnapStartHooks(h.wiring);
            h.publish(200);
            assertThat(handler.handleRequest(AwsHarness.sample("scheduled-event.json"), null))
                    .containsEntry("outcome", "created"); // the code paths a priming invocation takes
            Connection beforeCheckpoint = h.wiring.natsConnection();
            assertThat(beforeCheckpoint.getStatus()).isEqualTo(Connection.Status.CONNECTED);

            hooks.beforeCheckpoint(null);
            assertThat(beforeCheckpoint.getStatus()).isEqualTo(Connection.Status.CLOSED);
            assertThat(h.wiring.natsConnection()).isNull(); // nothing connected goes into the snapshot
            hooks.afterRestore(null);

            h.publish(150);
            Map<String, Object> out = handler.handleRequest(AwsHarness.sample("scheduled-event.json"), null);
            assertThat(out).containsEntry("outcome", "created").containsEntry("changesApplied", 150L);
            Connection restored = h.wiring.natsConnection();
            assertThat(restored).isNotSameAs(beforeCheckpoint);
            assertThat(restored.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(beforeCheckpoint.getStatus()).isEqualTo(Connection.Status.CLOSED);
        }
    }

    @Test
    void beforeCheckpoint_primesWithoutRemoteCalls_andIdsStayUniqueAcrossRestores() {
        FunctionConfig config = FunctionConfig.from(Map.of("TIDEMARK_NATS_URLS", "nats://127.0.0.1:1",
                "TIDEMARK_BUCKET", "snapshots", "TIDEMARK_LEASE_TABLE", "leases", "TIDEMARK_BUILD_FUNCTION", "build",
                "TIDEMARK_S3_ENDPOINT", "http://127.0.0.1:1", "TIDEMARK_DYNAMODB_ENDPOINT", "http://127.0.0.1:1",
                "TIDEMARK_EVENTS_ENDPOINT", "http://127.0.0.1:1", "TIDEMARK_LAMBDA_ENDPOINT", "http://127.0.0.1:1"));
        Wiring w = new Wiring(config);
        SnapStartHooks hooks = new SnapStartHooks(w);
        hooks.beforeCheckpoint(null); // nothing listens on port 1: a remote call here would fail
        assertThat(w.natsConnection()).isNull();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            hooks.afterRestore(null);
            ids.add(Ids.next());
        }
        assertThat(ids).hasSize(100).allMatch(s -> s.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    }

    @Test
    void beforeCheckpoint_warmsUpTheBuilder_onlyWhereAsked_andLeavesNoScratch() throws Exception {
        FunctionConfig config = FunctionConfig.from(Map.of("TIDEMARK_NATS_URLS", "nats://127.0.0.1:1",
                "TIDEMARK_BUCKET", "snapshots", "TIDEMARK_S3_ENDPOINT", "http://127.0.0.1:1",
                "TIDEMARK_EVENTS_ENDPOINT", "http://127.0.0.1:1"));
        Wiring plain = new Wiring(config);
        new SnapStartHooks(plain).beforeCheckpoint(null);
        assertThat(plain.warmedUp()).isZero();

        Wiring build = new Wiring(config).warmingUpTheBuilder();
        new SnapStartHooks(build).beforeCheckpoint(null);
        assertThat(build.warmedUp()).isEqualTo(io.tidemark.core.build.BuilderWarmUp.CHANGES);
        try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(Wiring.SCRATCH)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("warm-up-"));
        }
    }
}
