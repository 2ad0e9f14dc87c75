package io.tidemark.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample validates against its schema; the inputs also go through the Lambda runtime's own serialization. */
class EventSamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private static InputStream resource(String path) {
        InputStream in = EventSamplesTest.class.getResourceAsStream("/" + path);
        assertThat(in).as(path).isNotNull();
        return in;
    }

    static Stream<Map.Entry<String, String>> samples() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, String> index = JSON.readValue(resource("samples/index.json"), Map.class);
        return index.entrySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample_validatesAgainstItsSchema(Map.Entry<String, String> sample) throws Exception {
        JsonSchema schema = SCHEMAS.getSchema(resource("schemas/" + sample.getValue() + ".schema.json"));
        JsonNode node = JSON.readTree(resource("samples/" + sample.getKey()));
        Set<ValidationMessage> errors = schema.validate(node);
        assertThat(errors).as(sample.getKey()).isEmpty();
    }

    @Test
    void schemas_rejectWhatTheyMust() throws Exception {
        JsonSchema result = SCHEMAS.getSchema(resource("schemas/snapshot-result.schema.json"));
        JsonNode gap = JSON.readTree(resource("samples/snapshot-gap-detected.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) gap.get("detail")).remove("firstAvailable");
        assertThat(result.validate(gap)).isNotEmpty();
        JsonSchema request = SCHEMAS.getSchema(resource("schemas/build-request.schema.json"));
        assertThat(request.validate(JSON.readTree("{\"trigger\":\"seed\"}"))).isNotEmpty();
        assertThat(request.validate(JSON.readTree("{\"trigger\":\"manual\",\"force\":\"yes\"}"))).isNotEmpty();
    }

    @Test
    void inputs_mapThroughTheLambdaRuntimesSerialization() throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        List<String> checked = new ArrayList<>();
        for (String name : List.of("scheduled-event.json", "alarm-threshold.json", "alarm-emergency.json",
                "alarm-headroom.json", "alarm-threshold-ok.json")) {
            ScheduledEvent e = LambdaEventSerializers.serializerFor(ScheduledEvent.class, cl).fromJson(resource("samples/" + name));
            assertThat(e.getDetailType()).as(name).isIn("Scheduled Event", "CloudWatch Alarm State Change");
            assertThat(e.getSource()).as(name).startsWith("aws.");
            assertThat(e.getTime()).as(name).isNotNull();
            checked.add(name);
        }
        ScheduledEvent alarm = LambdaEventSerializers.serializerFor(ScheduledEvent.class, cl)
                .fromJson(resource("samples/alarm-headroom.json"));
        assertThat(alarm.getDetail()).containsEntry("alarmName", "harmonylite-pending-headroom");
        for (String name : List.of("url-post-snapshots.json", "url-get-snapshots.json", "url-get-status.json")) {
            APIGatewayV2HTTPEvent e = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, cl)
                    .fromJson(resource("samples/" + name));
            assertThat(e.getRawPath()).as(name).startsWith("/");
            assertThat(e.getRequestContext().getHttp().getMethod()).as(name).isIn("GET", "POST");
            assertThat(e.getRequestContext().getAuthorizer().getIam().getUserArn()).as(name).contains(":user/");
            checked.add(name);
        }
        assertThat(checked).hasSize(8);
    }
}
