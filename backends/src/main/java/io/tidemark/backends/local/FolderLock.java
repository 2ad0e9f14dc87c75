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
 * are per process) and an OS lock on {@code <folder>/.lock}.
 */
final class FolderLock {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock jvmLock;

    FolderLock(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        this.lockFile = abs.resolve(".lock");
        this.jvmLock = JVM_LOCKS.computeIfAbsent(abs, k -> new ReentrantLock());
    }

    <T> T with(Supplier<T> action) {
        jvmLock.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        } finally {
            jvmLock.unlock();
        }
    }
}
