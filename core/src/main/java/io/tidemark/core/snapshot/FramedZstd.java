package io.tidemark.core.snapshot;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A whole database compressed as a run of independent zstd frames of {@code frameBytes} raw bytes
 * each (the last one shorter), so a restore can decompress frames on several cores. Concatenated
 * frames are one valid zstd stream: {@code zstd -d} and a streaming reader see the file whole.
 * Every frame records its content size (a restore sizes its buffer from it) and a content checksum
 * (a damaged frame fails in its decoder, not only at the object's sha256). The frames are compressed
 * on a small pool with at most two more frames in flight than workers, so memory stays a few frames
 * whatever the database's size.
 *
 * <p>It is read as a stream, so the compressed bytes can go straight into an upload with no file
 * on disk ({@link SnapshotWriter#compressing}), or into a file ({@link #compress}). Closing it stops
 * the pool.
 */
final class FramedZstd extends InputStream {
    /** A compressed frame and the raw buffer it came from, to recycle. */
    private record Frame(byte[] raw, byte[] zst, int length) {}

    private final FileChannel in;
    private final int level;
    private final int frameBytes;
    private final int depth;
    private final ExecutorService pool;
    private final ArrayDeque<Future<Frame>> inFlight = new ArrayDeque<>();
    // Buffers go round instead of a new pair per frame: zeroing 2 GB of fresh arrays per GB costs.
    private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> spareZst = new ConcurrentLinkedQueue<>();
    /** Null when the caller hashed the raw file already (the snapshot id needs it before an upload). */
    private final MessageDigest rawDigest;
    private long rawBytes;
    private boolean rawDone;
    private Frame current;
    private int position;

    FramedZstd(Path raw, int level, int workers, int frameBytes, boolean hashRaw) throws IOException {
        this.in = FileChannel.open(raw, StandardOpenOption.READ);
        this.rawDigest = hashRaw ? Hashing.sha256() : null;
        this.level = level;
        this.frameBytes = frameBytes;
        this.depth = workers + 2; // the workers busy, one done and waiting, one being read
        this.pool = FramePool.start(workers, "tidemark-zstd");
    }

    /** Compresses {@code raw} into the file {@code zst}: one pass, both hashes. Scratch output: no fsync. */
    static SnapshotWriter.Compressed compress(Path raw, Path zst, int level, int workers, int frameBytes)
            throws IOException {
        MessageDigest zstDigest = Hashing.sha256();
        try (FramedZstd frames = new FramedZstd(raw, level, workers, frameBytes, true);
             OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(zst), 1 << 20),
                     zstDigest)) {
            frames.transferTo(out);
            out.flush();
            return new SnapshotWriter.Compressed(frames.rawBytes, frames.rawSha256(), Files.size(zst),
                    Hashing.hex(zstDigest));
        }
    }

    /** The sha256 of the raw file, once the stream has been read to its end (when asked to hash it). */
    private String rawSha256() {
        if (rawDigest == null || !rawDone || current != null || !inFlight.isEmpty()) {
            throw new IllegalStateException("the raw hash is known only at the end of the stream");
        }
        return Hashing.hex(rawDigest);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || position == current.length) {
            if (current != null) {
                spare.add(current.raw);
                spareZst.add(current.zst);
                current = null;
            }
            fill();
            if (inFlight.isEmpty()) {
                return -1;
            }
            current = FramePool.await(inFlight.poll(), "compressing");
            position = 0;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current.zst, position, b, off, n);
        position += n;
        return n;
    }

    /** Reads raw frames and hands them to the pool until {@code depth} are in flight or the file ends. */
    private void fill() throws IOException {
        while (!rawDone && inFlight.size() < depth) {
            byte[] buf = spare.poll();
            if (buf == null) {
                buf = new byte[frameBytes];
            }
            int n = readFully(in, buf);
            if (n == 0 && rawBytes > 0) {
                rawDone = true; // an empty database still gets one (empty) frame: a zero-byte object is not zstd
                return;
            }
            if (rawDigest != null) {
                rawDigest.update(buf, 0, n);
            }
            rawBytes += n;
            byte[] chunk = buf;
            inFlight.add(pool.submit(() -> frame(chunk, n, level, spareZst)));
            rawDone = n < frameBytes;
        }
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        in.close();
    }

    private static Frame frame(byte[] raw, int n, int level, ConcurrentLinkedQueue<byte[]> spareZst) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(level).setChecksum(true).setContentSize(true);
            int bound = (int) Zstd.compressBound(n);
            byte[] zst = spareZst.poll();
            if (zst == null || zst.length < bound) {
                zst = new byte[bound];
            }
            int length = ctx.compressByteArray(zst, 0, zst.length, raw, 0, n);
            return new Frame(raw, zst, length);
        }
    }

    private static int readFully(FileChannel in, byte[] buf) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf);
        while (b.hasRemaining() && in.read(b) >= 0) {
            // keep reading: a short read is not the end of the file
        }
        return b.position();
    }
}
