package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code --json} for scripts, and the human {@code list}, on a real nats-server. */
class CliJsonIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void buildListShowVerifyRestore_printOneParseableDocumentEach_thatAgree() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "json");
        Path schema = Files.writeString(dir.resolve("schema.sql"), WorkloadSchema.SQL);
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "json", "--subject-prefix", "json-change",
                "--max-entries", "100000", "--store", dir.resolve("store").toString(), "--work-dir",
                dir.resolve("work").toString()};
        assertThat(cli(common, "snapshot", "seed", "--schema", schema.toString()).code()).isZero();
        assertThat(cli(common, "load", "--changes", "500").code()).isZero();

        JsonNode build = json(cli(common, "snapshot", "build", "--json"));
        assertThat(build.get("outcome").asText()).isEqualTo("created");
        assertThat(build.get("changesApplied").asLong()).isEqualTo(500);
        String headId = build.get("snapshotId").asText();

        JsonNode list = json(cli(common, "snapshot", "list", "--json"));
        assertThat(list.get("head").asText()).isEqualTo(headId);
        assertThat(list.get("snapshots")).hasSize(2);
        JsonNode newest = list.get("snapshots").get(1);
        assertThat(newest.get("id").asText()).isEqualTo(headId);
        assertThat(newest.get("head").asBoolean()).isTrue();
        assertThat(list.get("snapshots").get(0).get("head").asBoolean()).isFalse();
        assertThat(Duration.between(Instant.parse(newest.get("createdAt").asText()), Instant.now()))
                .isBetween(Duration.ofSeconds(-5), Duration.ofMinutes(5));
        assertThat(newest.get("rawBytes").asLong()).isPositive();

        JsonNode show = json(cli(common, "snapshot", "show", "--json"));
        assertThat(show.at("/manifest/id").asText()).isEqualTo(headId);
        assertThat(show.get("manifestSha256").asText()).hasSize(64);

        JsonNode verify = json(cli(common, "snapshot", "verify", "--json"));
        assertThat(verify.get("ok").asBoolean()).isTrue();
        assertThat(verify.get("snapshotId").asText()).isEqualTo(headId);

        Path target = dir.resolve("node.db");
        JsonNode restore = json(cli(common, "snapshot", "restore", "--to", target.toString(), "--json"));
        assertThat(restore.get("restored").asBoolean()).isTrue();
        assertThat(restore.get("snapshotId").asText()).isEqualTo(headId);
        assertThat(target).exists();
        String seedId = list.get("snapshots").get(0).get("id").asText();
        JsonNode byPosition = json(cli(common, "snapshot", "restore", seedId, "--to", dir.resolve("seed.db").toString(),
                "--json"));
        assertThat(byPosition.get("snapshotId").asText()).isEqualTo(seedId);
        assertThat(json(cli(common, "snapshot", "show", "--id", seedId, "--json")).at("/manifest/id").asText())
                .isEqualTo(seedId);
        JsonNode again = json(cli(common, "snapshot", "restore", "--to", target.toString(),
                "--if-db-not-exists", "--json"));
        assertThat(again.get("restored").asBoolean()).isFalse();
        assertThat(again.get("reason").asText()).contains(target.toString());
    }

    @Test
    void list_showsCreatedTimeAgeAndHumanSizes_withHeadMarked() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "human");
        Path schema = Files.writeString(dir.resolve("schema.sql"), WorkloadSchema.SQL);
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "human", "--store",
                dir.resolve("store").toString()};
        assertThat(cli(common, "snapshot", "seed", "--schema", schema.toString()).code()).isZero();
        CliRun list = cli(common, "snapshot", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out().lines().findFirst().orElseThrow())
                .matches("\\s+ID\\s+CREATED\\s+AGE\\s+TRIGGER\\s+ROWS\\s+SIZE\\s+RAW\\s+POSITIONS");
        assertThat(list.out().lines().skip(1).findFirst().orElseThrow())
                .matches("HEAD \\S+ +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +\\d+s +seed +0 +[\\d.]+ (B|KiB)"
                        + " +[\\d.]+ (B|KiB|MiB) +\\{.*\\}");
    }

    private static CliRun cli(String[] common, String... args) {
        return CliRun.of(concat(args, common));
    }

    private static JsonNode json(CliRun r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
