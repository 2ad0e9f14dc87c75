package io.tidemark.core.change;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    /**
     * The text a node whose local zone is {@code zone} stores. Written out by hand for years 0-9999:
     * through {@code DateTimeFormatter} and {@code String.format} it was 14% of the applier thread.
     */
    public static String format(Instant t, ZoneId zone) {
        ZoneOffset offset = zone instanceof ZoneOffset fixed ? fixed : zone.getRules().getOffset(t);
        long local = t.getEpochSecond() + offset.getTotalSeconds();
        long days = Math.floorDiv(local, 86_400L);
        int secs = (int) Math.floorMod(local, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(days);
        StringBuilder sb = new StringBuilder(35);
        if (date.getYear() < 0 || date.getYear() > 9999) {
            sb.append(SECONDS.format(t.atZone(zone))); // the formatter's sign and width rules
        } else {
            pad(sb, date.getYear(), 4).append('-');
            pad(sb, date.getMonthValue(), 2).append('-');
            pad(sb, date.getDayOfMonth(), 2).append(' ');
            pad(sb, secs / 3600, 2).append(':');
            pad(sb, secs / 60 % 60, 2).append(':');
            pad(sb, secs % 60, 2);
        }
        int nanos = t.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            pad(sb.append('.'), nanos, digits);
        }
        int minutes = offset.getTotalSeconds() / 60; // Go truncates toward zero
        sb.append(minutes < 0 ? '-' : '+');
        int abs = Math.abs(minutes);
        pad(sb, abs / 60, 2).append(':');
        return pad(sb, abs % 60, 2).toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            sb.append('0');
        }
        return sb.append(value);
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
