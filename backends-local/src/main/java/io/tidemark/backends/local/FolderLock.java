package io.tidemark.backends.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion over a folder, across threads and processes: a JVM lock per folder (file locks
 * are per process) and an OS lock on {@code <folder>/.lock}. Held for a few file operations only; a
 * process stopped (SIGSTOP) or hung while holding it must not wedge everyone else, so waiting gives
 * up after {@link #WAIT} with an error that says so.
 */
final class FolderLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

    private final Path lockFile;
    private final ReentrantLock jvmLock;

    FolderLock(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        this.lockFile = abs.resolve(".lock");
        this.jvmLock = JVM_LOCKS.computeIfAbsent(abs, k -> new ReentrantLock());
    }

    <T> T with(Supplier<T> action) {
        try {
            if (!jvmLock.tryLock(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw stuck();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + lockFile, e);
        }
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = acquire(ch)) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        } finally {
            jvmLock.unlock();
        }
    }

    private FileLock acquire(FileChannel ch) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw stuck();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + lockFile, e);
            }
        }
    }

    private IllegalStateException stuck() {
        return new IllegalStateException(lockFile + " has been locked for more than " + WAIT.toSeconds()
                + " s by another process that does not let go (stopped or hung?); it is held only for a few file"
                + " operations, so find that process");
    }
}
