package io.tidemark.core.change;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Formats times the way a replaying HarmonyLite node stores them. The node decodes the tag 32
 * wrapper with Go's {@code time.Unix}, which gives a time in the node's local zone, and go-sqlite3
 * binds it as text in the layout {@code 2006-01-02 15:04:05.999999999-07:00}: the fraction loses
 * trailing zeros and disappears when zero, and the offset is the zone's offset at that instant,
 * hours and minutes only (seconds of historic local-mean-time offsets are dropped), {@code +00:00}
 * in UTC. So the text depends on the zone the node runs in ({@code TZ}); Tidemark defaults to UTC.
 */
public final class GoTime {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private GoTime() {}

    /**
     * A time that was Go's zero {@code time.Time} on the sending node (go-sqlite3 gives that for
     * time-typed text it cannot parse): Go sends the wrapper as tag 32 {@code {1: null}} and a
     * replaying node stores NULL. Kept distinct from null so the event re-encodes byte-identically.
     */
    public enum ZeroTime { VALUE }

    /** The text a node running in UTC stores. */
    public static String format(Instant t) {
        return format(t, ZoneOffset.UTC);
    }

    /** The text a node whose local zone is {@code zone} stores. */
    public static String format(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        StringBuilder sb = new StringBuilder(35).append(SECONDS.format(z));
        int nanos = t.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(frac, 0, end);
        }
        int minutes = z.getOffset().getTotalSeconds() / 60; // Go truncates toward zero
        sb.append(minutes < 0 ? '-' : '+');
        int abs = Math.abs(minutes);
        return sb.append(String.format("%02d:%02d", abs / 60, abs % 60)).toString();
    }

    /**
     * A row value as SQLite gets it: an {@link Instant} becomes text in {@code zone},
     * {@link ZeroTime} becomes NULL, the rest as is.
     */
    public static Object sqlValue(Object v, ZoneId zone) {
        if (v instanceof Instant t) {
            return format(t, zone);
        }
        return v == ZeroTime.VALUE ? null : v;
    }
}
