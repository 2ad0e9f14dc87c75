package io.tidemark.core.restore;

import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.DigestThread;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.snapshot.PageSet;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.ProgressInputStream;
import io.tidemark.core.store.SnapshotStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;

/**
 * Rebuilds a layered snapshot's database in one sequential pass. The page sets are read first,
 * newest first, and only the newest version of each page is kept, in a patch file beside the
 * target; then the full database streams out of its decoders (frames decoded, patched and written
 * on both cores, see {@link FrameInflater}), each page taken from the patch file when a page set
 * holds it ({@link Patcher}), and is hashed in order on one more thread. So the target is written
 * and hashed exactly once, as a whole-database restore is, and the patch file holds no more than
 * the pages the chain changed.
 */
final class ChainRebuild {
    private ChainRebuild() {}

    /** The rebuilt database's length and sha256. */
    record Rebuilt(long bytes, String sha256) {}

    static Rebuilt rebuild(SnapshotStore store, Manifest manifest, Path dest, Progress progress) throws IOException {
        List<Manifest.Layer> chain = manifest.chain();
        Path patch = dest.resolveSibling(dest.getFileName() + ".pages");
        try (FileChannel patches = FileChannel.open(patch, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long[] at = null; // page number -> offset + 1 in the patch file, 0 when no page set holds it
            int pageSize = 0;
            int pages = 0;
            long written = 0;
            for (int i = chain.size() - 1; i >= 1; i--) {
                Manifest.Layer layer = chain.get(i);
                MessageDigest digest = Hashing.sha256();
                try (InputStream object = store.open(layer.key());
                     DigestInputStream hashed = new DigestInputStream(new BufferedInputStream(object, 1 << 20), digest);
                     PageSet.Reader r = new PageSet.Reader(new KeepOpen(hashed))) {
                    if (at == null) {
                        pageSize = r.header().pageSize();
                        pages = r.header().databasePages(); // the newest set says how long the database is
                        at = new long[pages + 1];
                    } else if (r.header().pageSize() != pageSize) {
                        throw new CorruptSnapshotException("page size " + r.header().pageSize() + " differs from the"
                                + " newer layers' " + pageSize);
                    }
                    for (int p; (p = r.next()) > 0; ) {
                        if (p <= pages && at[p] == 0) {
                            patches.write(ByteBuffer.wrap(r.page()), written);
                            at[p] = written + 1;
                            written += pageSize;
                        }
                    }
                    hashed.transferTo(OutputStream.nullOutputStream());
                } catch (CorruptSnapshotException e) {
                    throw layerProblem(store, manifest, layer, e.getMessage(), e);
                } catch (com.github.luben.zstd.ZstdIOException | java.io.EOFException e) {
                    throw layerProblem(store, manifest, layer, "truncated or not valid zstd: " + e.getMessage(), e);
                }
                check(store, manifest, layer, Hashing.hex(digest));
            }
            return writeFull(store, manifest, chain.get(0), dest, progress, patches, at, pageSize, pages);
        } finally {
            Files.deleteIfExists(patch);
        }
    }

    private static Rebuilt writeFull(SnapshotStore store, Manifest manifest, Manifest.Layer full, Path dest,
                                     Progress progress, FileChannel patches, long[] at, int pageSize, int pages)
            throws IOException {
        MessageDigest zstDigest = Hashing.sha256();
        String rawSha;
        long bytes;
        try (InputStream object = store.open(full.key());
             InputStream counted = new ProgressInputStream(object, "download", full.bytes(), progress);
             BufferedInputStream buffered = new BufferedInputStream(counted, 1 << 20);
             FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE);
             DigestThread hasher = new DigestThread()) {
            // Frames decode, take their patches and write on both cores; the sha256 runs on one more
            // thread, in order. The object is read to its end whatever the database's length.
            Patcher patcher = new Patcher(out, patches, at, pageSize, pages);
            long end = FrameInflater.inflate(buffered, zstDigest, patcher, hasher, FrameInflater.workers());
            patcher.finish(end, hasher);
            rawSha = hasher.finish();
            bytes = hasher.bytes();
        } catch (com.github.luben.zstd.ZstdIOException e) {
            throw layerProblem(store, manifest, full, "not valid zstd: " + e.getMessage(), e);
        } catch (CorruptSnapshotException e) {
            throw layerProblem(store, manifest, full, e.getMessage(), e);
        }
        check(store, manifest, full, Hashing.hex(zstDigest));
        return new Rebuilt(bytes, rawSha);
    }

    private static void check(SnapshotStore store, Manifest manifest, Manifest.Layer layer, String actual) {
        if (!actual.equals(layer.sha256())) {
            throw layerProblem(store, manifest, layer, "has sha256 " + actual + " but the manifest records "
                    + layer.sha256(), null);
        }
    }

    private static CorruptSnapshotException layerProblem(SnapshotStore store, Manifest manifest, Manifest.Layer layer,
                                                         String problem, Exception cause) {
        return new CorruptSnapshotException("snapshot " + manifest.id() + ": " + layer.key() + " in "
                + store.describe() + ": " + problem, cause);
    }

    /** The page-set reader closes its decompressor; the object stream is drained and closed here. */
    private static final class KeepOpen extends java.io.FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
