package io.tidemark.core.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Scratch directories of builds and publishes under the work directory. Each holds an OS lock on
 * its {@code .owner} file while in use; the OS drops the lock when its process dies (kill -9
 * included), so {@link #sweep} can tell a dead build's leftovers from a live build's and remove only
 * those.
 */
final class Scratch {
    private static final String OWNER = ".owner";
    private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();

    private Scratch() {}

    /** A new directory {@code <prefix>NNN} under {@code workDir}, locked by this process; sweeps dead ones first. */
    static Path create(Path workDir, String prefix) {
        try {
            Files.createDirectories(workDir);
            sweep(workDir);
            Path dir = Files.createTempDirectory(workDir, prefix);
            FileChannel ch = FileChannel.open(dir.resolve(OWNER), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            HELD.put(dir, ch.lock());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory under " + workDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Removes scratch directories whose owner is gone; returns how many. Never touches a live one. */
    static int sweep(Path workDir) {
        int removed = 0;
        try (Stream<Path> entries = Files.list(workDir)) {
            for (Path dir : entries.filter(Scratch::isScratch).toList()) {
                if (ownerGone(dir)) {
                    delete(dir);
                    removed++;
                }
            }
        } catch (IOException e) {
            // an unreadable work directory fails the build that needs it, with its own message
        }
        return removed;
    }

    private static boolean isScratch(Path p) {
        String name = p.getFileName().toString();
        return Files.isDirectory(p) && (name.startsWith("build-") || name.startsWith("publish-"));
    }

    private static boolean ownerGone(Path dir) {
        if (HELD.containsKey(dir)) {
            return false;
        }
        Path owner = dir.resolve(OWNER);
        if (!Files.exists(owner)) {
            // Left by a version without owner files, or a crash between mkdir and lock: gone if old.
            return dir.toFile().lastModified() < System.currentTimeMillis() - 3_600_000;
        }
        try (FileChannel ch = FileChannel.open(owner, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return false; // another process holds it: a live build
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // held in this JVM
        } catch (IOException e) {
            return false;
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        FileLock lock = HELD.remove(dir);
        if (lock != null) {
            try {
                lock.channel().close();
            } catch (IOException ignored) {
                // closing releases the lock; the directory goes next either way
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // leftovers are scratch; a later sweep removes them
        }
    }
}
