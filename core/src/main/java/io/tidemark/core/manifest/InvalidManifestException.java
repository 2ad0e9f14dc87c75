package io.tidemark.core.manifest;

/** A manifest or HEAD that cannot be trusted: unreadable, incomplete, or not matching its hash. */
public class InvalidManifestException extends RuntimeException {
    public InvalidManifestException(String message) {
        super(message);
    }

    public InvalidManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
