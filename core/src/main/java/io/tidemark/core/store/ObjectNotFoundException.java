package io.tidemark.core.store;

/** No object is stored under the key. */
public class ObjectNotFoundException extends StoreException {
    private final String key;

    public ObjectNotFoundException(String key) {
        super("no such object: " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
