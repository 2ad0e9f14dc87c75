package io.tidemark.core.replay;

/** A change names a table or column the database does not have. Events carry rows, not schema. */
public class UnknownTableException extends RuntimeException {
    public UnknownTableException(String message) {
        super(message);
    }
}
