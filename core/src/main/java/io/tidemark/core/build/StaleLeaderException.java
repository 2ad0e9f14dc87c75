package io.tidemark.core.build;

/** HEAD was moved by a newer lease holder, or moving it would take a stream backwards. */
public class StaleLeaderException extends RuntimeException {
    public StaleLeaderException(String message) {
        super(message);
    }
}
