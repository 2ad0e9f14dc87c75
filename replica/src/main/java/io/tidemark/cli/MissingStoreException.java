package io.tidemark.cli;

/** A read-only command found no snapshot store where the configuration points; it creates none. */
final class MissingStoreException extends RuntimeException {
    MissingStoreException(String what) {
        super(what + " does not exist; `tidemark snapshot seed` creates it (read-only commands create nothing)");
    }
}
