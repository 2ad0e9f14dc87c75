package io.tidemark.cli;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.BuildStep;
import java.util.LinkedHashMap;
import java.util.Map;

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
                    r.baseId(), r.changesApplied(), r.millis(), r.changesApplied() / secs, r.positions(),
                    steps(r.stepMillis(), r.millis())));
            if (r.stored() != null) {
                sb.append(System.lineSeparator()).append("stored: ").append(r.stored());
            }
        } else {
            sb.append(": ").append(r.message());
        }
        if (r.bootCopy() != null) {
            sb.append(System.lineSeparator()).append(bootCopy(r.bootCopy()));
        }
        return sb.toString();
    }

    /**
     * The step timings in the order a build runs them ({@link BuildStep}), then {@code other}: the
     * build's time no step accounts for, so the figures always add up to the total.
     */
    static String steps(Map<String, Long> stepMillis, long totalMillis) {
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (BuildStep step : BuildStep.values()) {
            String key = step.name().toLowerCase();
            if (stepMillis.containsKey(key)) {
                ordered.put(key, stepMillis.get(key));
            }
        }
        stepMillis.keySet().stream().filter(k -> !ordered.containsKey(k)).sorted()
                .forEach(k -> ordered.put(k, stepMillis.get(k)));
        long other = totalMillis - ordered.values().stream().mapToLong(Long::longValue).sum();
        if (other > 0) {
            ordered.put("other", other);
        }
        StringBuilder sb = new StringBuilder("{");
        ordered.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v));
        return sb.append('}').toString();
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
