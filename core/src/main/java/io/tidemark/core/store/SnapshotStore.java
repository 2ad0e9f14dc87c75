package io.tidemark.core.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where snapshots live: a flat namespace of keys ({@code snapshots/<id>/manifest.json},
 * {@code HEAD.json}, ...) laid out by {@link StoreLayout}. Snapshot objects are written once and
 * never replaced; the one mutable object, HEAD, changes only by compare-and-set. Implementations
 * translate backend errors into the exceptions of this package and never turn a failure into an
 * empty result.
 */
public interface SnapshotStore {
    /** For {@link #putIfAbsent}: the body's end tells its length (a compressor streaming into the upload). */
    long UNKNOWN_LENGTH = -1;

    /**
     * Writes {@code length} bytes from {@code body} under {@code key} only if no object is there;
     * {@code length} may be {@link #UNKNOWN_LENGTH}, and then the whole body is written. Streams:
     * memory does not grow with the length. A partly written object is never visible, also when
     * {@code body} fails part way.
     *
     * @throws ObjectExistsException when the key already holds an object (whatever its content)
     */
    void putIfAbsent(String key, InputStream body, long length);

    /**
     * Opens the object for streaming reads; the caller closes the stream.
     *
     * @throws ObjectNotFoundException when there is no object under the key
     */
    InputStream open(String key);

    /** Reads a small object with its version (etag, revision, content hash); empty when absent. */
    Optional<Versioned> read(String key);

    /**
     * Replaces a small object only if its current version is {@code expectedVersion}, or, when that
     * is null, only if it does not exist. Atomic with respect to every other caller.
     *
     * @return the new version
     * @throws PreconditionFailedException when the current version differs
     */
    String compareAndSet(String key, byte[] content, String expectedVersion);

    /**
     * Writes {@code length} bytes from {@code body} under {@code key}, replacing any object there. A
     * reader sees the old object or the new one whole, never none and never a part (the write goes
     * to a temporary name and is renamed over, or the backend's put is atomic). Only for the plain
     * {@code snapshot.db} that HarmonyLite nodes read; snapshot objects use {@link #putIfAbsent}.
     */
    void replace(String key, InputStream body, long length);

    /** Size and modification time of an object; empty when absent. */
    Optional<ObjectStat> stat(String key);

    /** Keys that start with {@code prefix}, sorted; empty only when there are none. */
    List<String> list(String prefix);

    /** Deletes the object; idempotent (a missing key is not an error). */
    void delete(String key);

    /**
     * Removes what writes that never finished left behind (a writer killed mid-upload), when older
     * than {@code before}; returns how many. Backends whose partial writes are never visible and
     * clean themselves up (S3 with an abort-incomplete-multipart rule) have nothing to do.
     */
    default int removeAbandoned(java.time.Instant before) {
        return 0;
    }

    /** A human-readable location for logs and errors, such as {@code file:/var/snapshots}. */
    String describe();

    /** What {@link #stat} tells: size in bytes and last modification (as the backend records it). */
    record ObjectStat(long bytes, java.time.Instant lastModified) {}

    /** Bytes with the version they were read at. */
    record Versioned(byte[] content, String version) {}
}
