package io.tidemark.core.restore;

import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * A restore test: fetch a snapshot, verify both sha256s, run {@code PRAGMA integrity_check} and
 * compare every table's row count with the manifest. Never throws for a bad snapshot: it reports.
 */
public final class Verifier {
    private Verifier() {}

    /** The outcome; {@code problem} is null when the snapshot verified. */
    public record Verification(String snapshotId, boolean ok, String problem, Map<String, Long> tables, long millis) {}

    /** Verifies HEAD's snapshot. */
    public static Verification verifyHead(SnapshotStore store, Path workDir) {
        Catalog.VersionedHead head = Catalog.requireHead(store);
        return verify(store, head.head().snapshot(), head.head().manifestSha256(), workDir);
    }

    /** Verifies a snapshot; {@code manifestSha256} may be null when no HEAD vouches for it. */
    public static Verification verify(SnapshotStore store, String id, String manifestSha256, Path workDir) {
        long started = System.nanoTime();
        Path db = null;
        try {
            Manifest m = Catalog.manifest(store, id, manifestSha256).manifest();
            Files.createDirectories(workDir);
            db = Files.createTempFile(workDir, "verify-", ".sqlite");
            Restorer.download(store, m, db, Progress.NONE);
            try (Connection c = Sqlite.open(db)) {
                String check = Sqlite.integrityCheck(c);
                if (!"ok".equals(check)) {
                    return fail(id, "integrity_check: " + check, started);
                }
                Map<String, Long> counts = Sqlite.rowCounts(c);
                if (!counts.equals(m.tables())) {
                    return fail(id, "row counts " + counts + " differ from the manifest's " + m.tables(), started);
                }
                return new Verification(id, true, null, counts, millis(started));
            }
        } catch (CorruptSnapshotException | io.tidemark.core.manifest.InvalidManifestException e) {
            return fail(id, e.getMessage(), started);
        } catch (SQLException e) {
            return fail(id, "SQLite cannot read the restored database: " + e.getMessage(), started);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot verify snapshot " + id + " under " + workDir, e);
        } finally {
            if (db != null) {
                try {
                    Files.deleteIfExists(db);
                } catch (IOException ignored) {
                    // scratch
                }
            }
        }
    }

    private static Verification fail(String id, String problem, long started) {
        return new Verification(id, false, problem, Map.of(), millis(started));
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
