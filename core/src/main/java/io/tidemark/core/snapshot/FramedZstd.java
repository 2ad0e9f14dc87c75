package io.tidemark.core.snapshot;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compresses a whole database as a run of independent zstd frames of {@code frameBytes} raw bytes
 * each (the last one shorter), so a restore can decompress frames on several cores. Concatenated
 * frames are one valid zstd stream: {@code zstd -d} and a streaming reader see the file whole.
 * Every frame records its content size (a restore sizes its buffer from it) and a content checksum
 * (a damaged frame fails in its decoder, not only at the object's sha256). The frames are compressed
 * on a small pool with at most two more frames in flight than workers, so memory stays a few frames
 * whatever the database's size.
 */
final class FramedZstd {
    private FramedZstd() {}

    /** A compressed frame and the raw buffer it came from, to recycle. */
    private record Frame(byte[] raw, byte[] zst, int length) {}

    static SnapshotWriter.Compressed compress(Path raw, Path zst, int level, int workers, int frameBytes)
            throws IOException {
        MessageDigest rawDigest = Hashing.sha256();
        MessageDigest zstDigest = Hashing.sha256();
        long rawBytes = 0;
        int depth = workers + 2; // the workers busy, one done and waiting, one being read
        // Buffers go round instead of a new pair per frame: zeroing 2 GB of fresh arrays per GB costs.
        ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<byte[]> spareZst = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "tidemark-zstd");
            t.setDaemon(true);
            return t;
        });
        ArrayDeque<Future<Frame>> inFlight = new ArrayDeque<>();
        try (FileChannel in = FileChannel.open(raw, StandardOpenOption.READ);
             OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(zst), 1 << 20),
                     zstDigest)) {
            boolean first = true;
            while (true) {
                byte[] buf = spare.poll();
                if (buf == null) {
                    buf = new byte[frameBytes];
                }
                int n = readFully(in, buf);
                if (n == 0 && !first) {
                    break; // an empty database still gets one (empty) frame: a zero-byte object is not zstd
                }
                first = false;
                rawDigest.update(buf, 0, n);
                rawBytes += n;
                if (inFlight.size() == depth) {
                    write(inFlight.poll(), out, spare, spareZst);
                }
                byte[] chunk = buf;
                inFlight.add(pool.submit(() -> frame(chunk, n, level, spareZst)));
                if (n < frameBytes) {
                    break;
                }
            }
            while (!inFlight.isEmpty()) {
                write(inFlight.poll(), out, spare, spareZst);
            }
        } finally {
            pool.shutdownNow();
        }
        return new SnapshotWriter.Compressed(rawBytes, Hashing.hex(rawDigest), Files.size(zst), Hashing.hex(zstDigest));
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

    private static void write(Future<Frame> next, OutputStream out, ConcurrentLinkedQueue<byte[]> spare,
                              ConcurrentLinkedQueue<byte[]> spareZst) throws IOException {
        Frame f;
        try {
            f = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        }
        out.write(f.zst, 0, f.length);
        spare.add(f.raw);
        spareZst.add(f.zst);
    }

    private static int readFully(FileChannel in, byte[] buf) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf);
        while (b.hasRemaining() && in.read(b) >= 0) {
            // keep reading: a short read is not the end of the file
        }
        return b.position();
    }
}
