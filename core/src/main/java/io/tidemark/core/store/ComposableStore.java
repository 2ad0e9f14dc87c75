package io.tidemark.core.store;

import java.nio.file.Path;
import java.util.BitSet;

/**
 * A store that can write a new object partly from ranges of the object already under its key, on
 * the server, without sending those bytes again (S3's UploadPartCopy). Used for the plain
 * {@code snapshot.db}: between two copies most of a large database is unchanged.
 */
public interface ComposableStore {
    /** The smallest chunk the store can copy (every chunk but the last must be at least this long). */
    long minChunkBytes();

    /**
     * Replaces {@code key} with {@code file}, read as chunks of {@code chunkBytes} (the last may be
     * shorter). Chunk {@code i} is copied on the server from the same byte range of the object now
     * under {@code key} when {@code reuse} has bit {@code i}, and sent from {@code file} otherwise.
     * Atomic as {@link SnapshotStore#replace}: readers see the old object or the new one whole.
     *
     * @param expected the object under {@code key} must still have this size and modification time
     *                 (the one whose chunks the caller compared), or nothing is written
     * @return the bytes sent from {@code file}
     * @throws PreconditionFailedException when the object under {@code key} is not {@code expected},
     *                                     or changed while the copy ran; nothing was written
     */
    long replaceReusing(String key, Path file, long chunkBytes, BitSet reuse, SnapshotStore.ObjectStat expected);
}
