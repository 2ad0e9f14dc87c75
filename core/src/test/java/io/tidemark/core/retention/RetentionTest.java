package io.tidemark.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static String id(String stamp) {
        return stamp + "-000000000000";
    }

    @Test
    void keepsHead_lastN_andNewestPerDayWeekMonth() {
        List<String> ids = List.of(id("20260101T010000Z"), id("20260101T020000Z"), id("20260115T010000Z"),
                id("20260201T010000Z"), id("20260202T010000Z"), id("20260202T020000Z"), id("20260203T010000Z"));
        Set<String> keep = Retention.keep(ids, id("20260101T010000Z"),
                new RetentionPolicy(1, 2, 1, 2, Duration.ZERO));
        assertThat(keep).containsExactlyInAnyOrder(
                id("20260101T010000Z"), // HEAD (rolled back)
                id("20260203T010000Z"), // last 1, newest of its day, week and month
                id("20260202T020000Z"), // newest of the second-newest day
                id("20260115T010000Z")); // newest of January
    }

    @Test
    void timeOf_readsTheIdStamp() {
        assertThat(Retention.timeOf(id("20260304T050607Z")).toString()).isEqualTo("2026-03-04T05:06:07Z");
    }
}
