package io.tidemark.core.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GoTimeTest {
    /** The formatter-based text GoTime gave before it was written out by hand. */
    private static String reference(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        StringBuilder sb = new StringBuilder(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").format(z));
        if (t.getNano() != 0) {
            sb.append('.').append(String.format("%09d", t.getNano()).replaceAll("0+$", ""));
        }
        int minutes = z.getOffset().getTotalSeconds() / 60;
        int abs = Math.abs(minutes);
        return sb.append(minutes < 0 ? '-' : '+').append(String.format("%02d:%02d", abs / 60, abs % 60)).toString();
    }

    @Test
    void format_givesTheFormattersText_acrossYearsZonesAndFractions() {
        Random random = new Random(8);
        List<ZoneId> zones = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Berlin"), ZoneId.of("America/St_Johns"),
                ZoneId.of("Asia/Kolkata"), ZoneId.of("Europe/Amsterdam"), ZoneOffset.ofHoursMinutes(-9, -30));
        for (int i = 0; i < 20_000; i++) {
            long secs = random.nextLong(-62_167_219_200L - 86_400L * 800, 253_402_300_800L + 86_400L * 800);
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(secs, nanos);
            ZoneId zone = zones.get(random.nextInt(zones.size()));
            assertThat(GoTime.format(t, zone)).as("%s in %s", t, zone).isEqualTo(reference(t, zone));
        }
        Instant lmt = Instant.parse("1900-01-01T00:00:00Z"); // Amsterdam then: +00:19:32, seconds dropped
        assertThat(GoTime.format(lmt, ZoneId.of("Europe/Amsterdam"))).isEqualTo(reference(lmt, ZoneId.of("Europe/Amsterdam")));
    }
}
