package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {
    @Test
    void steps_printInBuildOrder_andAddUpToTheTotal() {
        Map<String, Long> unordered = Map.of("written", 30L, "lease_taken", 1L, "replayed", 200L, "head_read", 4L,
                "retention_applied", 2L, "base_fetched", 50L);
        assertThat(Output.steps(unordered, 300)).isEqualTo(
                "{lease_taken=1, head_read=4, base_fetched=50, replayed=200, written=30, retention_applied=2, other=13}");
        assertThat(Output.steps(Map.of("head_read", 5L), 5)).isEqualTo("{head_read=5}");
    }
}
