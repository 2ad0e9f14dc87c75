package io.tidemark.core.store;

/** An immutable object is already stored under the key: it is never overwritten. */
public class ObjectExistsException extends StoreException {
    private final String key;

    public ObjectExistsException(String key) {
        super("object already exists and is immutable: " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
