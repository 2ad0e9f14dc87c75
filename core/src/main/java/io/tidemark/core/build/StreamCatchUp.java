package io.tidemark.core.build;

import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.replay.Applier;
import io.tidemark.core.replay.PositionTable;
import io.tidemark.core.replay.ReplayException;
import io.tidemark.core.snapshot.SnapshotFile;
import io.tidemark.core.snapshot.Sqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Steps 5 and 6 on a scratch database: replay every stream from {@code from + 1} to the cut, under
 * the lease, then write the snapshot file. Shared by incremental builds (onto HEAD's database) and
 * seeding (onto a copy of a node's database, from the start of what the streams hold).
 */
final class StreamCatchUp {
    record Replayed(SnapshotFile file, Map<String, Long> positions, long applied) {}

    private StreamCatchUp() {}

    static Replayed run(Path scratchDb, Map<String, Long> from, Map<String, Long> cuts, ChangeSource source,
                        ClusterConfig cluster, BuildOptions options, LeaseKeeper keeper, Path outDir,
                        Runnable onReplayed) {
        try (Connection conn = Sqlite.openScratch(scratchDb); Applier applier = new Applier(conn, cluster.timeZone())) {
            applier.resetPositions(from);
            applier.commit();
            long applied = new io.tidemark.core.replay.StreamReplayer(source, cluster.compressed(), applier,
                    options.commitEvery(), options.progress(), keeper::ensureHeld, () -> { }).replay(cuts);
            Map<String, Long> positions = new TreeMap<>(applier.positions());
            // Scratch only: drop the position table here (the manifest carries positions) so the
            // writer needs one VACUUM INTO instead of two.
            Sqlite.exec(conn, "DROP TABLE IF EXISTS " + PositionTable.NAME);
            conn.commit();
            onReplayed.run();
            return new Replayed(options.writer().write(conn, outDir), positions, applied);
        } catch (SQLException e) {
            throw new ReplayException("cannot open the scratch database " + scratchDb + ": " + e.getMessage(), e);
        }
    }
}
