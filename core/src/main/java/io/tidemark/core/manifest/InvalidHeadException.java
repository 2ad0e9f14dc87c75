package io.tidemark.core.manifest;

/** HEAD.json cannot be read as a HEAD pointer; names the store. No snapshot is at fault. */
public class InvalidHeadException extends InvalidManifestException {
    public InvalidHeadException(String message, Throwable cause) {
        super(message, cause);
    }
}
