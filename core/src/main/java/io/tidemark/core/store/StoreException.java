package io.tidemark.core.store;

/** A store operation failed. Messages name keys and the store, never object contents. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
