package io.tidemark.core.snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * An output stream that hashes (sha256) and writes on a second thread, so a restore's
 * decompression and its hashing and writing run on two cores instead of one after the other.
 * Chunks of 1 MiB go through a short queue of recycled buffers, so memory stays a few MiB. A
 * failure on the writer thread surfaces on the next write or on {@link #close}.
 */
public final class HashingWriter extends OutputStream {
    private static final int CHUNK = 1 << 20;
    private static final byte[] END = new byte[0];

    private final OutputStream out;
    private final MessageDigest digest = Hashing.sha256();
    private final BlockingQueue<byte[]> full = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(6);
    private final Thread worker;
    private volatile IOException failure;
    private byte[] current;
    private int used;
    private long bytes;
    private String hex;
    private boolean closed;

    public HashingWriter(OutputStream out) {
        this.out = out;
        for (int i = 0; i < 6; i++) {
            free.add(new byte[CHUNK + 4]);
        }
        this.current = free.remove();
        this.worker = new Thread(this::drain, "tidemark-hash-write");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        while (len > 0) {
            int n = Math.min(len, CHUNK - used);
            System.arraycopy(b, off, current, 4 + used, n);
            used += n;
            off += n;
            len -= n;
            bytes += n;
            if (used == CHUNK) {
                hand();
            }
        }
    }

    /** Passes the current chunk to the worker; its length rides in the first four bytes. */
    private void hand() throws IOException {
        current[0] = (byte) (used >>> 24);
        current[1] = (byte) (used >>> 16);
        current[2] = (byte) (used >>> 8);
        current[3] = (byte) used;
        put(full, current);
        current = take(free);
        used = 0;
        check();
    }

    /** Runs until the end marker, draining even after a failure so the caller never blocks. */
    private void drain() {
        try {
            for (byte[] chunk; (chunk = take(full)) != END; ) {
                int n = (chunk[0] & 0xff) << 24 | (chunk[1] & 0xff) << 16 | (chunk[2] & 0xff) << 8 | (chunk[3] & 0xff);
                digest.update(chunk, 4, n);
                if (failure == null) {
                    try {
                        out.write(chunk, 4, n);
                    } catch (IOException e) {
                        failure = e;
                    }
                }
                free.add(chunk);
            }
        } catch (InterruptedIOException e) {
            failure = e;
        }
    }

    private void check() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** The sha256 of everything written, once closed. */
    public String sha256() {
        if (hex == null) {
            throw new IllegalStateException("not closed yet");
        }
        return hex;
    }

    public long bytes() {
        return bytes;
    }

    /** Idempotent: a second call (try-with-resources after an explicit close) does nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (used > 0) {
                hand();
            }
            put(full, END);
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        } finally {
            out.close();
        }
        if (failure != null) {
            // A new exception: the same one may be in flight from write() already.
            throw new IOException(failure.getMessage(), failure);
        }
        hex = Hashing.hex(digest);
    }

    private static byte[] take(BlockingQueue<byte[]> q) throws InterruptedIOException {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
    }

    private static void put(BlockingQueue<byte[]> q, byte[] chunk) throws InterruptedIOException {
        try {
            q.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
    }
}
