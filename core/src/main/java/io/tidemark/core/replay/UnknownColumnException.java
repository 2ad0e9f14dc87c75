package io.tidemark.core.replay;

/** A change names a column its table does not have (the schema moved on, or the change is foreign). */
public class UnknownColumnException extends UnknownTableException {
    public UnknownColumnException(String message) {
        super(message);
    }
}
