package io.tidemark.core.change;

import java.time.Duration;
import java.util.List;

/** The cluster's change streams, read-only. Implementations: JetStream; in-memory for unit tests. */
public interface ChangeSource extends AutoCloseable {
    /** The stream names of the cluster, shard 1 first. */
    List<String> streams();

    /** The stream's current first and last sequence. Throws if the stream does not exist. */
    StreamState state(String stream);

    /**
     * Opens an ordered reader at {@code fromSeq}. The cursor yields messages in sequence order; if
     * {@code fromSeq} has already aged out it yields the first message still stored, and callers
     * detect the gap from its sequence.
     */
    Cursor open(String stream, long fromSeq);

    @Override
    void close();

    /** An ordered reader over one stream. Not thread-safe. */
    interface Cursor extends AutoCloseable {
        /**
         * Up to {@code max} next messages, waiting at most {@code wait} for the first; an empty list
         * when none arrived in time. Never skips a stored message.
         */
        List<ChangeMessage> next(int max, Duration wait);

        @Override
        void close();
    }
}
