package io.tidemark.cli;

import io.tidemark.core.snapshot.Progress;
import java.io.PrintStream;

/** Draws one self-overwriting progress line on a terminal, at most ten times a second. */
final class TerminalProgress implements Progress {
    private final PrintStream out;
    private long lastDraw;
    private String lastPhase;

    private TerminalProgress(PrintStream out) {
        this.out = out;
    }

    /** A progress line when stderr is a terminal, else a log line every {@link LogProgress#EVERY}. */
    static Progress forConsole() {
        return System.console() != null ? new TerminalProgress(System.err) : LogProgress.toLog();
    }

    @Override
    public synchronized void update(String phase, long done, long total) {
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!finished && phase.equals(lastPhase) && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        lastPhase = phase;
        String unit = phase.equals("replay") ? " changes" : " bytes";
        String line = total > 0
                ? String.format("%-9s %5.1f%%  %,d / %,d%s", phase, 100.0 * done / total, done, total, unit)
                : String.format("%-9s %,d%s", phase, done, unit);
        out.print("\r" + line + "   " + (finished ? "\n" : ""));
        out.flush();
    }
}
