package io.tidemark.core.restore;

import io.tidemark.core.change.StreamState;
import java.util.Collection;
import java.util.Map;

/** Whether a replica must restore from HEAD before it can replay, and why (DESIGN.md, Replica). */
public final class RecoveryPlan {
    private RecoveryPlan() {}

    public enum Reason {
        /** The database is fine and the stream still holds every change it lacks. */
        NONE,
        NO_DATABASE,
        /** {@code PRAGMA quick_check} failed or SQLite cannot open the file. */
        CORRUPT,
        /**
         * A sound SQLite file without Tidemark's positions (a node's own file, a copy, an unrelated
         * file): what it holds cannot be told, so it is kept aside, never written, and HEAD restored.
         */
        UNKNOWN_POSITIONS,
        /** A change the replica lacks has already fallen off a stream. */
        BEHIND_STREAM,
        /** More than {@code max_entries} changes behind: replaying would take longer than restoring. */
        TOO_FAR_BEHIND
    }

    /** The decision and a sentence for the log. */
    public record Decision(Reason reason, String detail) {
        public boolean restore() {
            return reason != Reason.NONE;
        }
    }

    /** @param positions Tidemark's positions stored in the database; null when it has none */
    public static Decision decide(boolean databaseExists, String quickCheck, Map<String, Long> positions,
                                  Collection<StreamState> streams, long maxEntries) {
        if (!databaseExists) {
            return new Decision(Reason.NO_DATABASE, "no database yet");
        }
        if (!"ok".equals(quickCheck)) {
            return new Decision(Reason.CORRUPT, "quick_check: " + quickCheck);
        }
        if (positions == null) {
            return new Decision(Reason.UNKNOWN_POSITIONS, "the database has no Tidemark positions, so what it holds"
                    + " is unknown");
        }
        for (StreamState s : streams) {
            long at = positions.getOrDefault(s.stream(), 0L);
            if (s.hasGapAfter(at)) {
                return new Decision(Reason.BEHIND_STREAM, s.stream() + " is at seq " + at + " but the stream starts at "
                        + s.firstSeq());
            }
            if (s.pendingAfter(at) > maxEntries) {
                return new Decision(Reason.TOO_FAR_BEHIND, s.stream() + " is " + s.pendingAfter(at)
                        + " changes behind, more than max_entries " + maxEntries);
            }
        }
        return new Decision(Reason.NONE, "positions " + positions);
    }
}
