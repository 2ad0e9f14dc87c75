package io.tidemark.core.snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The small pools whole-database frames are compressed and decompressed on: daemon threads (a
 * failed build or restore never keeps the JVM up), and each frame's result taken in order with
 * its own exception, not an {@link ExecutionException}.
 */
public final class FramePool {
    private FramePool() {}

    public static ExecutorService start(int threads, String name) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits for {@code frame}; a runtime or I/O failure in it is thrown as it was. */
    public static <T> T await(Future<T> frame, String doing) throws IOException {
        try {
            return frame.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + doing);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }
}
