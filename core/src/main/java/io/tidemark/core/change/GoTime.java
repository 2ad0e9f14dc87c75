package io.tidemark.core.change;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats times the way a HarmonyLite node stores them: go-sqlite3's layout
 * {@code 2006-01-02 15:04:05.999999999-07:00} in UTC, so the fraction loses trailing zeros and
 * disappears when it is zero.
 */
public final class GoTime {
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private GoTime() {}

    public static String format(Instant t) {
        StringBuilder sb = new StringBuilder(35).append(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(frac, 0, end);
        }
        return sb.append("+00:00").toString();
    }
}
