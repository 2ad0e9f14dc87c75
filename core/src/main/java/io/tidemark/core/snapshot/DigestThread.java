package io.tidemark.core.snapshot;

import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A sha256 on a thread of its own, fed buffers in order. sha256 cannot be split, so it is a
 * restore's one sequential step (decoding, patching and writing run on the decoders) and the
 * whole-file hash's only CPU work (reading runs on the caller). Buffers are handed over in order, not copied, and given back once hashed; the queue is
 * short, so at most a few buffers wait.
 */
public final class DigestThread implements AutoCloseable {
    private record Item(byte[] bytes, int off, int len, Queue<byte[]> back) {}

    private static final Item END = new Item(new byte[0], 0, 0, null);

    /** Null: only counts and hands buffers back (a builder's fetch of a single full layer). */
    private final MessageDigest digest;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(2);
    private final Thread thread;
    private long bytes;
    private boolean ended;

    public DigestThread() {
        this(true);
    }

    public DigestThread(boolean hash) {
        digest = hash ? Hashing.sha256() : null;
        thread = new Thread(this::run, "tidemark-sha256");
        thread.setDaemon(true);
        thread.start();
    }

    /** Hashes {@code bytes[off, off + len)} after everything added before; then gives it to {@code back}, if any. */
    public void add(byte[] b, int off, int len, Queue<byte[]> back) throws InterruptedIOException {
        try {
            queue.put(new Item(b, off, len, back));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
    }

    /** Waits for everything added; the sha256 in hex, or null when not hashing. */
    public String finish() throws InterruptedIOException {
        end();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        }
        return digest == null ? null : Hashing.hex(digest);
    }

    /** The bytes hashed, once finished. */
    public long bytes() {
        return bytes;
    }

    private void run() {
        try {
            for (Item i; (i = queue.take()) != END; ) {
                if (digest != null) {
                    digest.update(i.bytes, i.off, i.len);
                }
                bytes += i.len;
                if (i.back != null) {
                    i.back.add(i.bytes);
                }
            }
        } catch (InterruptedException e) {
            // closed while a restore failed: nothing waits for the hash
        }
    }

    private void end() throws InterruptedIOException {
        if (!ended) {
            ended = true;
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            }
        }
    }

    /** Stops the thread; after a failure nothing needs the hash. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
