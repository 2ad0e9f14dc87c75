package io.tidemark.cli;

import io.tidemark.core.snapshot.Progress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress as a log line every few seconds, for containers and pipes where a self-overwriting
 * terminal line would be noise: a long restore or replay is never silent. The first update of a
 * phase and its end are always logged.
 */
final class LogProgress implements Progress {
    private static final Logger LOG = LoggerFactory.getLogger(LogProgress.class);
    static final Duration EVERY = Duration.ofSeconds(10);

    private final long everyNanos;
    private final LongSupplier nanoTime;
    private final Consumer<String> sink;
    private String lastPhase;
    private long lastLog;
    private boolean ended;

    LogProgress(Duration every, LongSupplier nanoTime, Consumer<String> sink) {
        this.everyNanos = every.toNanos();
        this.nanoTime = nanoTime;
        this.sink = sink;
    }

    static LogProgress toLog() {
        return new LogProgress(EVERY, System::nanoTime, LOG::info);
    }

    @Override
    public synchronized void update(String phase, long done, long total) {
        long now = nanoTime.getAsLong();
        boolean finished = total > 0 && done >= total;
        boolean samePhase = phase.equals(lastPhase);
        if (samePhase && ended && finished) {
            return; // its end is already logged
        }
        if (samePhase && !ended && !finished && now - lastLog < everyNanos) {
            return;
        }
        lastPhase = phase;
        lastLog = now;
        ended = finished;
        String unit = phase.equals("replay") ? "changes" : "bytes";
        sink.accept(total > 0
                ? String.format("%s: %.1f%% (%,d of %,d %s)%s", phase, 100.0 * done / total, done, total, unit,
                        finished ? ", done" : "")
                : String.format("%s: %,d %s", phase, done, unit));
    }
}
