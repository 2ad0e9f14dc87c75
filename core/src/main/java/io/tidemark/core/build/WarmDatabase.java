package io.tidemark.core.build;

import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.manifest.ManifestCodec;
import io.tidemark.core.restore.Restorer;
import io.tidemark.core.snapshot.PageHashes;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.store.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The last database a builder built, kept in its work directory so the next build starts from it
 * instead of downloading and rebuilding HEAD (a warm Lambda's {@code /tmp}, a CLI's work dir).
 *
 * <p>{@code state.json} records which snapshot the file is and the file's size and modification
 * time right after it was hashed. The file is reused only when HEAD is that snapshot and the file
 * still has that size and time (the way git trusts its index); otherwise it is rebuilt from the
 * store. The record is deleted before the file is changed and written again only once the new
 * snapshot is HEAD, so a build that dies half-way leaves no record and the next one rebuilds.
 * An OS lock keeps two builders on one machine out of each other's file: the second works cold.
 *
 * <p>Beside it, {@code db.pages} holds the {@link PageHashes} of the database a build stored, tagged
 * with its sha256: the next build on HEAD's database compares against them instead of reading the
 * file first. They are only used for the database whose sha256 they carry, whichever way the file
 * got here (kept, or fetched again).
 */
final class WarmDatabase implements AutoCloseable {
    private static final String STATE = "state.json";
    private static final String PAGES = "db.pages";

    /** What {@link #STATE} holds. */
    record State(String snapshot, String rawSha256, long bytes, long modifiedMillis) {}

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private WarmDatabase(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The warm database of {@code cluster} under {@code workDir}, or empty when another builder holds it. */
    static Optional<WarmDatabase> open(Path workDir, String cluster) {
        Path dir = workDir.resolve("warm-" + cluster.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                return Optional.empty();
            }
            return Optional.of(new WarmDatabase(dir, ch, lock));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the warm database directory " + dir, e);
        }
    }

    Path file() {
        return dir.resolve("db.sqlite");
    }

    /**
     * Makes {@link #file} the database of {@code head}: kept when the record vouches for it, else
     * rebuilt from the store. Returns true when it was kept. The record is gone afterwards either way.
     */
    boolean prepare(SnapshotStore store, Manifest head, Progress progress) {
        boolean kept = matches(head);
        invalidate();
        if (!kept) {
            Path tmp = dir.resolve("db.sqlite.fetch");
            try {
                // The old file is untrusted: gone first, so the disk never holds two databases.
                Files.deleteIfExists(file());
                deleteSidecars();
                Files.deleteIfExists(tmp);
                Restorer.fetchBase(store, head, tmp, progress);
                Files.move(tmp, file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rebuild the warm database " + file(), e);
            }
        }
        return kept;
    }

    private boolean matches(Manifest head) {
        try {
            Path state = dir.resolve(STATE);
            if (!Files.exists(state) || !Files.exists(file()) || Files.exists(dir.resolve("db.sqlite-wal"))) {
                return false;
            }
            State s = ManifestCodec.json().readValue(Files.readAllBytes(state), State.class);
            return head.id().equals(s.snapshot()) && head.db().rawSha256().equals(s.rawSha256())
                    && Files.size(file()) == s.bytes()
                    && Files.getLastModifiedTime(file()).toMillis() == s.modifiedMillis();
        } catch (IOException | RuntimeException e) {
            return false; // an unreadable record vouches for nothing
        }
    }

    /** The page fingerprints of the database whose whole-file sha256 is {@code rawSha256}, if a build left them. */
    Optional<PageHashes> pageHashes(String rawSha256) {
        return PageHashes.load(dir.resolve(PAGES), rawSha256);
    }

    /**
     * Records that {@link #file} is now snapshot {@code id} (with that whole-file sha256 and, when
     * known, those page fingerprints).
     */
    void record(String id, String rawSha256, PageHashes pages) {
        try {
            if (pages != null) {
                pages.save(dir.resolve(PAGES));
            } else {
                Files.deleteIfExists(dir.resolve(PAGES));
            }
            State s = new State(id, rawSha256, Files.size(file()), Files.getLastModifiedTime(file()).toMillis());
            Path tmp = dir.resolve(STATE + ".tmp");
            Files.write(tmp, ManifestCodec.write(s));
            Files.move(tmp, dir.resolve(STATE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            invalidate(); // the next build rebuilds; nothing is wrong with the snapshot
        }
    }

    /** Forgets what the file is; called before anything changes it. */
    void invalidate() {
        try {
            Files.deleteIfExists(dir.resolve(STATE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the warm database record in " + dir, e);
        }
    }

    /** Drops the file too (after a failed build, so the disk holds no half-built database). */
    void discard() {
        invalidate();
        try {
            Files.deleteIfExists(file());
            Files.deleteIfExists(dir.resolve(PAGES));
            deleteSidecars();
        } catch (IOException ignored) {
            // rebuilt next time whatever is left
        }
    }

    private void deleteSidecars() throws IOException {
        io.tidemark.core.snapshot.Sqlite.deleteSidecars(file());
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the OS drops the lock with the process anyway
        }
    }
}
