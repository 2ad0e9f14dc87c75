package io.tidemark.core.replay;

/** SQLite refused a change while replaying it; names the stream and sequence range. */
public class ReplayException extends RuntimeException {
    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
