package io.tidemark.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.build.Trigger;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.manifest.Manifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerPolicyTest {
    private static Manifest at(long p1, long p2) {
        return new Manifest(1, "20260101T000000Z-000000000000", Instant.EPOCH, "c", Map.of("c-1", p1, "c-2", p2), null,
                new Manifest.DbInfo("db.sqlite.zst", "zstd", 1, "a", 1, "b"), "h", Map.of(), null);
    }

    @Test
    void pending_sumsStreams_ratioIsTheFullestStream() {
        TriggerPolicy.Pending p = TriggerPolicy.pending(at(100, 200), List.of(new StreamState("c-1", 1, 3_100, 10_000),
                new StreamState("c-2", 1, 2_200, 10_000)));
        assertThat(p.changes()).isEqualTo(5_000);
        assertThat(p.ratio()).isEqualTo(0.3);
        assertThat(p.gap()).isFalse();
        assertThat(TriggerPolicy.DEFAULT.due(p)).contains(Trigger.THRESHOLD);
    }

    @Test
    void emergencyBeatsHeadroomBeatsThreshold() {
        assertThat(TriggerPolicy.DEFAULT.due(new TriggerPolicy.Pending(8_000, 0.9, false))).contains(Trigger.EMERGENCY);
        assertThat(TriggerPolicy.DEFAULT.due(new TriggerPolicy.Pending(600, 0.6, false))).contains(Trigger.HEADROOM);
        assertThat(TriggerPolicy.DEFAULT.due(new TriggerPolicy.Pending(4_999, 0.49, false))).isEmpty();
    }

    @Test
    void gapIsSeen() {
        TriggerPolicy.Pending p = TriggerPolicy.pending(at(10, 0), List.of(new StreamState("c-1", 50, 80, 30)));
        assertThat(p.gap()).isTrue();
    }

    @Test
    void badLevels_areRejected() {
        assertThatThrownBy(() -> new TriggerPolicy(9_000, 8_000, 0.5)).hasMessageContaining("threshold 9000");
        assertThatThrownBy(() -> new TriggerPolicy(1, 2, 1.5)).hasMessageContaining("headroom ratio");
    }
}
