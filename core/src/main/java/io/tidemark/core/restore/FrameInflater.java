package io.tidemark.core.restore;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.DigestThread;
import io.tidemark.core.snapshot.FramePool;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Decompresses a full layer into the rebuilt file. A layer written as independent frames that
 * declare their size ({@code SnapshotWriter}'s since issue 8) is cut into frames by
 * {@link ZstdFrames}; a small pool, one thread per core, decodes, patches and writes each frame at
 * its place, while this thread hands the frames' bytes in order to the {@link DigestThread}. At most
 * two frames more than the workers are in flight, so memory stays a handful of frames whatever the
 * database's size. Anything else (a layer written before, as one streaming frame without a content
 * size) streams through one decoder as it always did, hashed on the side.
 */
final class FrameInflater {
    /** The largest frame a reader buffers: far above the writer's 8 MiB, far below a heap. */
    static final int MAX_FRAME = 64 << 20;
    private static final int STREAM_CHUNK = 1 << 20;

    private FrameInflater() {}

    /** A decoded, patched and written frame: {@code raw[0, kept)} belongs to the database. */
    private record Placed(byte[] raw, int kept, byte[] zst) {}

    /** Decoder threads for a restore: both cores here; capped so the frames in flight stay a few. */
    static int workers() {
        return Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Decompresses {@code object} (a full layer) into {@code out}, reading it to its end through
     * {@code digest}, so the digest covers every byte stored, and hands the database's bytes in
     * order to {@code hasher}; returns the full layer's raw length. A damaged frame is a
     * {@link CorruptSnapshotException} (or the decoder's {@code ZstdIOException} on the single-frame
     * path) saying which frame; the caller names the object.
     */
    static long inflate(BufferedInputStream object, MessageDigest digest, Patcher out, DigestThread hasher,
                        int workers) throws IOException {
        long first = ZstdFrames.firstContentSize(object); // peeks below the digest: each byte is hashed once
        InputStream in = new DigestInputStream(object, digest);
        if (first < 0 || first > MAX_FRAME || workers < 2) {
            long raw = stream(in, out, hasher);
            // Anything after the last frame still counts toward the object's sha256.
            in.transferTo(OutputStream.nullOutputStream());
            return raw;
        }
        return parallel(in, out, hasher, workers);
    }

    /**
     * Decoders decompress, patch and write each frame at its place (positional writes: any order);
     * this thread cuts frames and hands them to the hasher in order.
     */
    private static long parallel(InputStream in, Patcher out, DigestThread hasher, int workers) throws IOException {
        ConcurrentLinkedQueue<byte[]> spareZst = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<byte[]> spareRaw = new ConcurrentLinkedQueue<>();
        ZstdFrames frames = new ZstdFrames(in, MAX_FRAME, n -> take(spareZst, n));
        ExecutorService pool = FramePool.start(workers, "tidemark-unzstd");
        ArrayDeque<Future<Placed>> inFlight = new ArrayDeque<>();
        int depth = workers + 2; // the workers busy, one done and waiting, one being read
        long raw = 0;
        try {
            for (ZstdFrames.Frame f; (f = frames.next()) != null; ) {
                if (inFlight.size() == depth) {
                    hand(inFlight.poll(), hasher, spareZst, spareRaw);
                }
                ZstdFrames.Frame frame = f;
                long pos = raw;
                inFlight.add(pool.submit(() -> place(frame, take(spareRaw, frame.contentSize()), out, pos)));
                raw += f.contentSize();
            }
            while (!inFlight.isEmpty()) {
                hand(inFlight.poll(), hasher, spareZst, spareRaw);
            }
            return raw;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Placed place(ZstdFrames.Frame f, byte[] raw, Patcher out, long pos) throws IOException {
        int n;
        try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
            n = ctx.decompressByteArray(raw, 0, f.contentSize(), f.bytes(), 0, f.length());
        } catch (ZstdException e) {
            throw new CorruptSnapshotException("zstd frame " + f.index() + " at byte " + f.offset() + " does not"
                    + " decompress: " + e.getMessage(), e);
        }
        if (n != f.contentSize()) {
            throw new CorruptSnapshotException("zstd frame " + f.index() + " at byte " + f.offset() + " decompresses"
                    + " to " + n + " bytes but declares " + f.contentSize());
        }
        return new Placed(raw, out.place(raw, n, pos), f.bytes());
    }

    private static void hand(Future<Placed> next, DigestThread hasher, ConcurrentLinkedQueue<byte[]> spareZst,
                             ConcurrentLinkedQueue<byte[]> spareRaw) throws IOException {
        Placed p = FramePool.await(next, "decompressing");
        spareZst.add(p.zst);
        hasher.add(p.raw, 0, p.kept, spareRaw);
    }

    /** A recycled buffer of at least {@code n} bytes, or a new one; the pools hold a few frames at most. */
    private static byte[] take(ConcurrentLinkedQueue<byte[]> spare, int n) {
        byte[] b = spare.poll();
        return b != null && b.length >= n ? b : new byte[n];
    }

    /** The single-frame path, as restores always read: one decoder, 1 MiB at a time, hashed on the side. */
    private static long stream(InputStream in, Patcher out, DigestThread hasher) throws IOException {
        long raw = 0;
        InputStream keepOpen = new FilterInputStream(in) {
            @Override
            public void close() {
                // the caller drains and closes the object
            }
        };
        ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
        try (ZstdInputStream unzipped = new ZstdInputStream(keepOpen)) {
            while (true) {
                byte[] buf = take(spare, STREAM_CHUNK);
                int n = unzipped.read(buf, 0, STREAM_CHUNK);
                if (n <= 0) {
                    break;
                }
                hasher.add(buf, 0, out.place(buf, n, raw), spare);
                raw += n;
            }
        }
        return raw;
    }
}
