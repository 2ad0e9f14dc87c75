package io.tidemark.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.change.StreamState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryPlanTest {
    private static final List<StreamState> STREAMS = List.of(new StreamState("s-1", 101, 600, 1_000));

    @Test
    void decidesEachReason() {
        assertThat(RecoveryPlan.decide(false, "missing", Map.of(), STREAMS, 1_000).reason())
                .isEqualTo(RecoveryPlan.Reason.NO_DATABASE);
        assertThat(RecoveryPlan.decide(true, "*** in database main ***", Map.of(), STREAMS, 1_000).reason())
                .isEqualTo(RecoveryPlan.Reason.CORRUPT);
        assertThat(RecoveryPlan.decide(true, "ok", Map.of("s-1", 50L), STREAMS, 1_000).reason())
                .isEqualTo(RecoveryPlan.Reason.BEHIND_STREAM);
        assertThat(RecoveryPlan.decide(true, "ok", Map.of("s-1", 100L), STREAMS, 1_000).reason())
                .isEqualTo(RecoveryPlan.Reason.NONE);
        assertThat(RecoveryPlan.decide(true, "ok", Map.of("s-1", 100L), STREAMS, 400).reason())
                .isEqualTo(RecoveryPlan.Reason.TOO_FAR_BEHIND);
    }
}
