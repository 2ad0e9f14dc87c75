package io.tidemark.core.store;

/** A compare-and-set lost: the object changed since it was read. */
public class PreconditionFailedException extends StoreException {
    private final String key;

    public PreconditionFailedException(String key, String detail) {
        super("compare-and-set of " + key + " failed: " + detail);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
