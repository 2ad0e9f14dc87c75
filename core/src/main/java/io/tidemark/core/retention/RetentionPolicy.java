package io.tidemark.core.retention;

import java.time.Duration;

/**
 * Which snapshots to keep: HEAD always; the newest {@code keepLast}; the newest of each of the last
 * {@code daily} days, {@code weekly} ISO weeks and {@code monthly} months. Anything else, and any
 * upload never completed or never made HEAD, is removed once older than {@code grace}, so an
 * in-flight build's objects are never touched.
 */
public record RetentionPolicy(int keepLast, int daily, int weekly, int monthly, Duration grace) {
    public static final RetentionPolicy DEFAULT = new RetentionPolicy(3, 7, 4, 12, Duration.ofHours(24));

    public RetentionPolicy {
        if (keepLast < 1) {
            throw new IllegalArgumentException("retention keep_last must be at least 1, got " + keepLast);
        }
        if (daily < 0 || weekly < 0 || monthly < 0) {
            throw new IllegalArgumentException("retention daily/weekly/monthly must not be negative");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("retention grace must not be negative");
        }
    }
}
