package io.tidemark.core.restore;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decompresses a full layer into an output stream, in order. A layer written as independent frames
 * that declare their size ({@code SnapshotWriter}'s since issue 8) is cut into frames by
 * {@link ZstdFrames} and its frames decompressed on a small pool, one per core, with at most two
 * more than the workers in flight: memory stays a handful of frames whatever the database's size. Anything else (a
 * layer written before, as one streaming frame without a content size) streams through one
 * decoder exactly as it always did.
 *
 * <p>The buffers given to the sink are the inflater's own and are reused once {@code write}
 * returns; the sink may change them in place (the chain rebuild patches pages into them).
 */
final class FrameInflater {
    /** The largest frame a reader buffers: far above the writer's 8 MiB, far below a heap. */
    static final int MAX_FRAME = 64 << 20;
    private static final int STREAM_CHUNK = 1 << 20;

    private FrameInflater() {}

    /** A decompressed frame, {@code raw[0, length)}, and its compressed buffer for reuse. */
    private record Inflated(byte[] raw, int length, byte[] zst) {}

    /** Decoder threads for a restore: both cores here; capped so the frames in flight stay a few. */
    static int workers() {
        return Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Decompresses {@code object} (a full layer) into {@code sink}, reading it to its end through
     * {@code digest}, so the digest covers every byte stored; returns the raw length. A damaged frame
     * is a {@link CorruptSnapshotException} (or the decoder's {@code ZstdIOException} on the
     * single-frame path) saying which frame; the caller names the object.
     */
    static long inflate(BufferedInputStream object, MessageDigest digest, OutputStream sink, int workers)
            throws IOException {
        long first = ZstdFrames.firstContentSize(object); // peeks below the digest: each byte is hashed once
        InputStream in = new DigestInputStream(object, digest);
        if (first < 0 || first > MAX_FRAME || workers < 2) {
            long raw = stream(in, sink);
            // Anything after the last frame still counts toward the object's sha256.
            in.transferTo(OutputStream.nullOutputStream());
            return raw;
        }
        return parallel(in, sink, workers);
    }

    private static long parallel(InputStream in, OutputStream sink, int workers) throws IOException {
        ConcurrentLinkedQueue<byte[]> spareZst = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<byte[]> spareRaw = new ConcurrentLinkedQueue<>();
        ZstdFrames frames = new ZstdFrames(in, MAX_FRAME, n -> take(spareZst, n));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "tidemark-unzstd");
            t.setDaemon(true);
            return t;
        });
        ArrayDeque<Future<Inflated>> inFlight = new ArrayDeque<>();
        int depth = workers + 2; // the workers busy, one decoded and waiting, one being read
        long raw = 0;
        try {
            for (ZstdFrames.Frame f; (f = frames.next()) != null; ) {
                if (inFlight.size() == depth) {
                    raw += drain(inFlight.poll(), sink, spareZst, spareRaw);
                }
                ZstdFrames.Frame frame = f;
                inFlight.add(pool.submit(() -> decompress(frame, take(spareRaw, frame.contentSize()))));
            }
            while (!inFlight.isEmpty()) {
                raw += drain(inFlight.poll(), sink, spareZst, spareRaw);
            }
            return raw;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Inflated decompress(ZstdFrames.Frame f, byte[] out) {
        int n;
        try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
            n = ctx.decompressByteArray(out, 0, f.contentSize(), f.bytes(), 0, f.length());
        } catch (ZstdException e) {
            throw new CorruptSnapshotException("zstd frame " + f.index() + " at byte " + f.offset() + " does not"
                    + " decompress: " + e.getMessage(), e);
        }
        if (n != f.contentSize()) {
            throw new CorruptSnapshotException("zstd frame " + f.index() + " at byte " + f.offset() + " decompresses"
                    + " to " + n + " bytes but declares " + f.contentSize());
        }
        return new Inflated(out, n, f.bytes());
    }

    private static long drain(Future<Inflated> next, OutputStream sink, ConcurrentLinkedQueue<byte[]> spareZst,
                              ConcurrentLinkedQueue<byte[]> spareRaw) throws IOException {
        Inflated i;
        try {
            i = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decompressing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
        spareZst.add(i.zst);
        sink.write(i.raw, 0, i.length);
        spareRaw.add(i.raw);
        return i.length;
    }

    /** A recycled buffer of at least {@code n} bytes, or a new one; the pools hold a few frames at most. */
    private static byte[] take(ConcurrentLinkedQueue<byte[]> spare, int n) {
        byte[] b = spare.poll();
        return b != null && b.length >= n ? b : new byte[n];
    }

    /** The single-frame path, as restores always read: one decoder, 1 MiB at a time. */
    private static long stream(InputStream in, OutputStream sink) throws IOException {
        long raw = 0;
        InputStream keepOpen = new FilterInputStream(in) {
            @Override
            public void close() {
                // the caller drains and closes the object
            }
        };
        try (ZstdInputStream unzipped = new ZstdInputStream(keepOpen)) {
            byte[] buf = new byte[STREAM_CHUNK];
            for (int n; (n = unzipped.read(buf)) > 0; ) {
                sink.write(buf, 0, n);
                raw += n;
            }
        }
        return raw;
    }
}
