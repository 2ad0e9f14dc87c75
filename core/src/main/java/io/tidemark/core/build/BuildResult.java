package io.tidemark.core.build;

import java.util.Map;

/**
 * What a build did. {@code snapshotId} is the new snapshot when created, else HEAD's;
 * {@code positions} are the positions the snapshot holds; {@code stepMillis} time each step;
 * {@code stored} says what a created snapshot stored (a page set, the whole database) and on what.
 */
public record BuildResult(Outcome outcome, Trigger trigger, String snapshotId, String baseId,
                          Map<String, Long> positions, long changesApplied, long millis,
                          Map<String, Long> stepMillis, String message, BootCopy.Result bootCopy, String stored) {

    /** Without {@code stored}: what a build that created nothing reports. */
    public BuildResult(Outcome outcome, Trigger trigger, String snapshotId, String baseId, Map<String, Long> positions,
                       long changesApplied, long millis, Map<String, Long> stepMillis, String message,
                       BootCopy.Result bootCopy) {
        this(outcome, trigger, snapshotId, baseId, positions, changesApplied, millis, stepMillis, message, bootCopy,
                null);
    }

    /** The result as event detail and handler output: a flat JSON-ready map, in a stable order. */
    public Map<String, Object> detail() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("outcome", outcome.wire());
        d.put("trigger", trigger.wire());
        d.put("snapshotId", snapshotId);
        d.put("baseId", baseId);
        d.put("positions", positions);
        d.put("changesApplied", changesApplied);
        d.put("millis", millis);
        d.put("message", message);
        if (stored != null) {
            d.put("stored", stored);
        }
        if (bootCopy != null) {
            d.put("bootCopy", bootCopy.outcome().wire());
            d.put("bootCopyMessage", bootCopy.message());
        }
        return d;
    }
    public enum Outcome {
        /** A new snapshot is HEAD. */
        CREATED,
        /** Nothing new since HEAD. */
        SKIPPED,
        /** Changes after HEAD fell off a stream; a replica's full snapshot must move HEAD past it. */
        GAP,
        /** Another builder holds the lease. */
        LEASE_HELD,
        /** The build failed; HEAD is unchanged. */
        FAILED;

        public String wire() {
            return name().toLowerCase().replace('_', '-');
        }
    }
}
