package io.tidemark.core.trigger;

import io.tidemark.core.build.Trigger;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.manifest.Manifest;
import java.util.Collection;
import java.util.Optional;

/**
 * When the stream has grown enough past HEAD to need a snapshot: pending changes (sum over streams of
 * last sequence minus HEAD's position) against the threshold and emergency levels, and the fullest
 * stream's pending against its {@code max_entries} (headroom: past half, changes start to fall off).
 */
public record TriggerPolicy(long threshold, long emergency, double headroomRatio) {
    public static final long DEFAULT_THRESHOLD = 5_000;
    public static final long DEFAULT_EMERGENCY = 8_000;
    public static final double DEFAULT_HEADROOM_RATIO = 0.5;
    /** Operators hear about it past this many pending changes. */
    public static final long ALERT_PENDING = 7_000;
    public static final TriggerPolicy DEFAULT = new TriggerPolicy(DEFAULT_THRESHOLD, DEFAULT_EMERGENCY,
            DEFAULT_HEADROOM_RATIO);

    public TriggerPolicy {
        if (threshold < 1 || emergency < threshold) {
            throw new IllegalArgumentException("need 1 <= threshold <= emergency, got threshold " + threshold
                    + " and emergency " + emergency);
        }
        if (!(headroomRatio > 0 && headroomRatio <= 1)) {
            throw new IllegalArgumentException("headroom ratio must be in (0, 1], got " + headroomRatio);
        }
    }

    /** Where the cluster stands against HEAD. */
    public record Pending(long changes, double ratio, boolean gap) {}

    public static Pending pending(Manifest head, Collection<StreamState> streams) {
        long total = 0;
        double ratio = 0;
        boolean gap = false;
        for (StreamState s : streams) {
            long position = head.position(s.stream());
            long p = s.pendingAfter(position);
            total += p;
            if (s.maxMsgs() > 0) {
                ratio = Math.max(ratio, (double) p / s.maxMsgs());
            }
            gap |= s.hasGapAfter(position);
        }
        return new Pending(total, ratio, gap);
    }

    /** The most urgent trigger that applies, if any. */
    public Optional<Trigger> due(Pending p) {
        if (p.changes() >= emergency) {
            return Optional.of(Trigger.EMERGENCY);
        }
        if (p.ratio() >= headroomRatio) {
            return Optional.of(Trigger.HEADROOM);
        }
        if (p.changes() >= threshold) {
            return Optional.of(Trigger.THRESHOLD);
        }
        return Optional.empty();
    }
}
