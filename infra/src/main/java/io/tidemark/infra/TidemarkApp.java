package io.tidemark.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: reads the clusters file named by context {@code tidemark:clusters} (default
 * clusters.json; see clusters.example.json) and wires one stack. {@code cdk synth} / {@code cdk deploy}.
 */
public final class TidemarkApp {
    private TidemarkApp() {}

    public static void main(String[] args) throws IOException {
        App app = new App();
        Object ctx = app.getNode().tryGetContext("tidemark:clusters");
        Path file = Path.of(ctx == null ? "clusters.json" : ctx.toString());
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no clusters file " + file.toAbsolutePath()
                    + ": copy clusters.example.json to clusters.json and edit it, or pass -c tidemark:clusters=FILE");
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        StackProps.Builder props = StackProps.builder();
        if (root.hasNonNull("account") || root.hasNonNull("region")) {
            props.env(Environment.builder().account(text(root, "account")).region(text(root, "region")).build());
        }
        new TidemarkStack(app, root.hasNonNull("stackName") ? root.get("stackName").asText() : "Tidemark", props.build(),
                clusters(root));
        app.synth();
    }

    static List<ClusterProps> clusters(JsonNode root) {
        List<ClusterProps> out = new ArrayList<>();
        for (JsonNode c : root.path("clusters")) {
            ClusterProps.Builder b = ClusterProps.builder(c.path("name").asText(null));
            if (c.has("natsUrls")) {
                List<String> urls = new ArrayList<>();
                c.get("natsUrls").forEach(u -> urls.add(u.asText()));
                b.natsUrls(urls);
            }
            if (c.has("natsSecretArn")) b.natsSecretArn(c.get("natsSecretArn").asText());
            if (c.has("subjectPrefix")) b.subjectPrefix(c.get("subjectPrefix").asText());
            if (c.has("shards")) b.shards(c.get("shards").asInt());
            if (c.has("compress")) b.compress(c.get("compress").asBoolean());
            if (c.has("maxEntries")) b.maxEntries(c.get("maxEntries").asLong());
            if (c.has("threshold")) b.threshold(c.get("threshold").asLong());
            if (c.has("emergency")) b.emergency(c.get("emergency").asLong());
            if (c.has("headroomRatio")) b.headroomRatio(c.get("headroomRatio").asDouble());
            if (c.has("alertPending")) b.alertPending(c.get("alertPending").asLong());
            if (c.has("maxSnapshotAgeHours")) b.maxSnapshotAgeHours(c.get("maxSnapshotAgeHours").asLong());
            if (c.has("buildSchedule")) b.buildSchedule(c.get("buildSchedule").asText());
            if (c.has("monitorMinutes")) b.monitorMinutes(c.get("monitorMinutes").asInt());
            if (c.has("verifySchedule")) b.verifySchedule(c.get("verifySchedule").asText());
            if (c.has("buildMemoryMb")) b.buildMemoryMb(c.get("buildMemoryMb").asInt());
            if (c.has("alertEmail")) b.alertEmail(c.get("alertEmail").asText());
            if (c.has("logRetentionDays")) b.logRetentionDays(c.get("logRetentionDays").asInt());
            if (c.has("functionsJar")) b.functionsJar(c.get("functionsJar").asText());
            if (c.has("replicaCount")) b.replicaCount(c.get("replicaCount").asInt());
            JsonNode n = c.get("network");
            if (n != null) {
                b.network(new ClusterProps.Network(n.path("vpcId").asText(), list(n, "availabilityZones"),
                        list(n, "privateSubnetIds"), list(n, "securityGroupIds")));
            }
            out.add(b.build());
        }
        return out;
    }

    private static List<String> list(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        n.path(field).forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
