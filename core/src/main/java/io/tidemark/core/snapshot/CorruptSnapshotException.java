package io.tidemark.core.snapshot;

/** A snapshot or database that fails verification: hash mismatch, bad zstd, or SQLite's checks. */
public class CorruptSnapshotException extends RuntimeException {
    public CorruptSnapshotException(String message) {
        super(message);
    }

    public CorruptSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
