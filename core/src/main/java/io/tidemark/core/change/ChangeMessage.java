package io.tidemark.core.change;

import java.time.Instant;

/**
 * A raw message read from a stream: its position, its bytes as published, and when the stream
 * stored it ({@code time}; null when the source does not say), which point-in-time restores use.
 */
public record ChangeMessage(String stream, long seq, byte[] data, Instant time) {
    public ChangeMessage(String stream, long seq, byte[] data) {
        this(stream, seq, data, null);
    }
}
