package io.tidemark.cli;

import io.tidemark.core.build.BuildResult;

/** One-line summaries of results for the terminal. */
final class Output {
    private Output() {}

    static String describe(BuildResult r) {
        StringBuilder sb = new StringBuilder(r.outcome().wire());
        if (r.snapshotId() != null) {
            sb.append(' ').append(r.snapshotId());
        }
        if (r.outcome() == BuildResult.Outcome.CREATED) {
            double secs = Math.max(1, r.millis()) / 1000.0;
            sb.append(String.format(" on %s: %,d changes in %,d ms (%,.0f changes/s), positions %s, steps %s",
                    r.baseId(), r.changesApplied(), r.millis(), r.changesApplied() / secs, r.positions(), r.stepMillis()));
        } else {
            sb.append(": ").append(r.message());
        }
        if (r.bootCopy() != null) {
            sb.append(System.lineSeparator()).append(bootCopy(r.bootCopy()));
        }
        return sb.toString();
    }

    /** One line on the plain snapshot.db for HarmonyLite nodes; a stale or failed one is a warning. */
    static String bootCopy(io.tidemark.core.build.BootCopy.Result b) {
        String mark = switch (b.outcome()) {
            case STALE, FAILED -> "WARNING boot copy ";
            default -> "boot copy ";
        };
        return mark + b.outcome().wire() + ": " + b.message();
    }
}
