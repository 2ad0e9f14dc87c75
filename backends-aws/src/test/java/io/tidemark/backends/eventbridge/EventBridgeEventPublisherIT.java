package io.tidemark.backends.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.core.event.TidemarkEvent;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** PutEvents as sent, against a recording endpoint (no EventBridge emulator here). */
class EventBridgeEventPublisherIT {
    @RegisterExtension
    static RecordingHttpEndpoint http = RecordingHttpEndpoint.eventBridge();

    private EventBridgeEventPublisher publisher;

    @BeforeEach
    void client() {
        http.clear();
        EventBridgeClient client = EventBridgeClient.builder().endpointOverride(http.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        publisher = new EventBridgeEventPublisher(client, "ops-bus");
    }

    @Test
    void putEvents_carriesSourceDetailTypeBusAndDetail() throws Exception {
        publisher.publish(new TidemarkEvent(TidemarkEvent.Type.SnapshotCreated, "harmonylite",
                Map.of("snapshotId", "20260101T000000Z-0123456789ab", "changesApplied", 42)));
        assertThat(http.requests()).hasSize(1);
        RecordingHttpEndpoint.Request r = http.requests().get(0);
        assertThat(r.header("X-Amz-Target")).isEqualTo("AWSEvents.PutEvents");
        JsonNode entry = new ObjectMapper().readTree(r.body()).get("Entries").get(0);
        assertThat(entry.get("Source").asText()).isEqualTo("tidemark");
        assertThat(entry.get("DetailType").asText()).isEqualTo("SnapshotCreated");
        assertThat(entry.get("EventBusName").asText()).isEqualTo("ops-bus");
        JsonNode detail = new ObjectMapper().readTree(entry.get("Detail").asText());
        assertThat(detail.get("cluster").asText()).isEqualTo("harmonylite");
        assertThat(detail.get("changesApplied").asLong()).isEqualTo(42);
    }

    @Test
    void detail_writesTimesAsIsoText_andNestedMapsAsObjects() throws Exception {
        publisher.publish(new TidemarkEvent(TidemarkEvent.Type.RestoreVerified, "harmonylite",
                Map.of("verifiedAt", Instant.parse("2026-03-01T02:00:00Z"), "positions", Map.of("harmonylite-1", 17))));
        JsonNode entry = new ObjectMapper().readTree(http.requests().get(0).body()).get("Entries").get(0);
        assertThat(entry.get("DetailType").asText()).isEqualTo("RestoreVerified");
        JsonNode detail = new ObjectMapper().readTree(entry.get("Detail").asText());
        assertThat(detail.get("verifiedAt").asText()).isEqualTo("2026-03-01T02:00:00Z");
        assertThat(detail.get("positions").get("harmonylite-1").asLong()).isEqualTo(17);
    }

    @Test
    void aServiceError_isAnErrorNamingTheBus() {
        http.respondWith(r -> new RecordingHttpEndpoint.Response(400, "application/x-amz-json-1.1",
                "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Event bus ops-bus does not exist.\"}"));
        try {
            assertThatThrownBy(() -> publisher.publish(new TidemarkEvent(TidemarkEvent.Type.SnapshotSkipped, "c", Map.of())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("ops-bus")
                    .hasMessageContaining("SnapshotSkipped").hasMessageContaining("cluster c");
        } finally {
            http.respondWith(r -> new RecordingHttpEndpoint.Response(200, "application/x-amz-json-1.1",
                    "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"1\"}]}"));
        }
    }

    @Test
    void aFailedEntry_isAnErrorNamingTheCode() {
        http.respondWith(r -> new RecordingHttpEndpoint.Response(200, "application/x-amz-json-1.1",
                "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"ThrottlingException\",\"ErrorMessage\":\"slow down\"}]}"));
        try {
            assertThatThrownBy(() -> publisher.publish(new TidemarkEvent(TidemarkEvent.Type.SnapshotFailed, "c", Map.of())))
                    .hasMessageContaining("ThrottlingException").hasMessageContaining("ops-bus");
        } finally {
            http.respondWith(r -> new RecordingHttpEndpoint.Response(200, "application/x-amz-json-1.1",
                    "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"1\"}]}"));
        }
    }
}
