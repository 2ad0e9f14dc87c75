package io.tidemark.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What /metrics exposes, and the Grafana dashboard in docs/ querying only what it exposes. */
class ReplicaMetricsTest {
    private static final Pattern METRIC_IN_EXPR = Pattern.compile("\\b((?:tidemark|jvm|process)_[a-z0-9_]+)\\b");

    private static String scrape() throws Exception {
        ReplicaMetrics.Readings r = new ReplicaMetrics.Readings() {
            @Override public Replica.State state() { return Replica.State.FOLLOWING; }
            @Override public Map<String, Long> positions() { return Map.of("s-1", 40L, "s-2", 7L); }
            @Override public Long lag(String stream, long position) { return stream.equals("s-1") ? 2L : null; }
            @Override public long applied() { return 47; }
            @Override public boolean natsConnected() { return false; }
            @Override public long natsDisconnects() { return 3; }
            @Override public Instant lastAppliedAt() { return Instant.ofEpochSecond(1_700_000_000); }
            @Override public double restoreSeconds() { return 1.5; }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ReplicaMetrics(r, "9.9.9-test").write(out);
        return out.toString();
    }

    @Test
    void exposesTheReadings_withHelp_familiesTogether_jvmAndBuildInfo() throws Exception {
        String text = scrape();
        assertThat(text).contains("tidemark_replica_position{stream=\"s-1\"} 40.0")
                .contains("tidemark_replica_lag_changes{stream=\"s-1\"} 2.0")
                .doesNotContain("tidemark_replica_lag_changes{stream=\"s-2\"}") // unknown lag is left out
                .contains("tidemark_replica_changes_applied_total 47.0")
                .contains("tidemark_replica_nats_connected 0.0").contains("tidemark_replica_nats_disconnects_total 3.0")
                .contains("tidemark_replica_following 1.0").contains("tidemark_replica_restore_duration_seconds 1.5")
                .contains("tidemark_build_info{version=\"9.9.9-test\"} 1")
                .contains("jvm_memory_used_bytes").contains("process_cpu_seconds_total");
        List<String> families = new ArrayList<>();
        String current = null;
        for (String line : text.lines().toList()) {
            if (line.startsWith("# TYPE ")) {
                current = line.split(" ")[2];
                assertThat(families).as("family " + current + " appears once").doesNotContain(current);
                families.add(current);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                assertThat(line).as("a sample under its own family").startsWith(current);
            }
        }
        for (String f : families.stream().filter(f -> f.startsWith("tidemark_")).toList()) {
            assertThat(text).as("HELP for " + f).containsPattern("(?m)^# HELP " + f + " \\S");
        }
    }

    @Test
    void grafanaDashboard_queriesOnlyMetricsTheReplicaExports() throws Exception {
        String text = scrape();
        Set<String> exported = new LinkedHashSet<>();
        text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> exported.add(l.split("[{ ]")[0]));
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("..", "docs", "grafana-replica.json")));
        Set<String> queried = new LinkedHashSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = METRIC_IN_EXPR.matcher(expr.asText());
            while (m.find()) {
                queried.add(m.group(1));
            }
        }
        assertThat(queried).hasSizeGreaterThan(8);
        assertThat(exported).containsAll(queried);
    }
}
