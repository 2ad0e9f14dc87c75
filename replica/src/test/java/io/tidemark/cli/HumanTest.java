package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanTest {
    @Test
    void bytes_useBinaryUnits_withOneDecimal() {
        assertThat(Human.bytes(0)).isEqualTo("0 B");
        assertThat(Human.bytes(1023)).isEqualTo("1023 B");
        assertThat(Human.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Human.bytes(5L << 30)).isEqualTo("5.0 GiB");
    }

    @Test
    void age_showsTheTwoLargestUnits() {
        assertThat(Human.age(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Human.age(Duration.ofSeconds(725))).isEqualTo("12m 5s");
        assertThat(Human.age(Duration.ofMinutes(200))).isEqualTo("3h 20m");
        assertThat(Human.age(Duration.ofHours(98))).isEqualTo("4d 2h");
        assertThat(Human.age(Duration.ofSeconds(-3))).isEqualTo("0s"); // a clock a little ahead
    }
}
