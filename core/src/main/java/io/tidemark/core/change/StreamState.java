package io.tidemark.core.change;

/**
 * What a stream holds now. {@code firstSeq} is the oldest sequence still stored and {@code lastSeq}
 * the newest; an empty stream that has never had a message has both 0, and one whose messages all
 * aged out has {@code firstSeq = lastSeq + 1}. {@code maxMsgs} is the bound, or -1 when unbounded.
 */
public record StreamState(String stream, long firstSeq, long lastSeq, long maxMsgs) {
    /** True when the change after {@code position} is no longer in the stream. */
    public boolean hasGapAfter(long position) {
        return position < lastSeq && firstSeq > position + 1;
    }

    public long pendingAfter(long position) {
        return Math.max(0, lastSeq - position);
    }
}
