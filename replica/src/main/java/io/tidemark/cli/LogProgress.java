package io.tidemark.cli;

import io.tidemark.core.snapshot.Progress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress as a log line every few seconds, for containers and pipes where a self-overwriting
 * terminal line would be noise: a long restore or replay is never silent, a short one says nothing.
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
    private boolean logged;

    LogProgress(Duration every, LongSupplier nanoTime, Consumer<String> sink) {
        this.everyNanos = every.toNanos();
        this.nanoTime = nanoTime;
        this.sink = sink;
    }

    static LogProgress toLog() {
        return new LogProgress(EVERY, System::nanoTime, LOG::info);
    }

    /**
     * A phase that ends within the interval logs nothing; a longer one logs a line each interval and
     * one when it ends.
     */
    @Override
    public synchronized void update(String phase, long done, long total) {
        long now = nanoTime.getAsLong();
        boolean finished = total > 0 && done >= total;
        if (!phase.equals(lastPhase) || ended) {
            lastPhase = phase;
            lastLog = now;
            logged = false;
            ended = finished;
            return;
        }
        if (finished) {
            ended = true;
            if (logged) {
                sink.accept(line(phase, done, total) + ", done");
            }
        } else if (now - lastLog >= everyNanos) {
            lastLog = now;
            logged = true;
            sink.accept(line(phase, done, total));
        }
    }

    private static String line(String phase, long done, long total) {
        String unit = phase.equals("replay") ? "changes" : "bytes";
        return total > 0 ? String.format("%s: %.1f%% (%,d of %,d %s)", phase, 100.0 * done / total, done, total, unit)
                : String.format("%s: %,d %s", phase, done, unit);
    }
}
