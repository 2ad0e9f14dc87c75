package io.tidemark.core.restore;

import io.tidemark.core.change.ChangeDecoder;
import io.tidemark.core.change.ChangeMessage;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.InvalidManifestException;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.replay.Applier;
import io.tidemark.core.replay.ReplayException;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.store.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A restore to a point between snapshots: the newest snapshot at or before the point, then each
 * stream replayed from the snapshot's position up to the point, a sequence ({@code --to-seq}) or a
 * time ({@code --at}, by the time the stream stored each message). The database is rebuilt beside
 * the target and renamed over it only when the replay reached the point, so a failure leaves the
 * target as it was. When the stream no longer holds the changes after the chosen snapshot, the
 * error names the snapshot closest to the point.
 */
public final class PointInTime {
    private static final Duration WAIT = Duration.ofMillis(500);

    private PointInTime() {}

    /** Where to stop: at a time, or at sequences (streams not named stay at the snapshot's position). */
    public record Point(Instant at, Map<String, Long> sequences) {
        public static Point at(Instant at) {
            return new Point(at, null);
        }

        public static Point sequences(Map<String, Long> seqs) {
            return new Point(null, Map.copyOf(seqs));
        }

        boolean holds(Manifest m) {
            if (at != null) {
                return !m.createdAt().isAfter(at);
            }
            return sequences.entrySet().stream().allMatch(e -> m.position(e.getKey()) <= e.getValue());
        }

        @Override
        public String toString() {
            return at != null ? at.toString() : new TreeMap<>(sequences).toString();
        }
    }

    /** What was restored: the snapshot it started from and the positions the database holds. */
    public record Restored(String snapshotId, Map<String, Long> positions, long replayed) {}

    public static Restored restore(SnapshotStore store, ChangeSource source, ClusterConfig cluster, Point point,
                                   Path target, Progress progress) {
        Manifest start = newestAtOrBefore(store, point);
        Map<String, Long> cuts = new TreeMap<>();
        for (String stream : cluster.streamNames()) {
            long from = start.position(stream);
            StreamState state = source.state(stream);
            long cut = point.at() != null ? state.lastSeq()
                    : point.sequences().getOrDefault(stream, from);
            if (point.sequences() != null && cut > state.lastSeq()) {
                throw new IllegalArgumentException(stream + " ends at seq " + state.lastSeq() + ", before the requested "
                        + cut);
            }
            if (cut > from && state.hasGapAfter(from)) {
                throw new IllegalStateException("cannot restore to " + point + ": the closest snapshot at or before it is "
                        + start.id() + " (" + stream + " at seq " + from + "), but the stream now starts at seq "
                        + state.firstSeq() + "; restore " + start.id() + " itself, or a later snapshot");
            }
            cuts.put(stream, cut);
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(target.getFileName() + ".pit-" + start.id());
        try {
            Files.createDirectories(dir);
            Restorer.download(store, start, tmp, progress);
            long replayed;
            Map<String, Long> positions;
            try (Connection c = Sqlite.open(tmp);
                 Applier applier = Applier.withPositionsInMemory(c, cluster.timeZone(), start.positions())) {
                replayed = 0;
                for (Map.Entry<String, Long> e : cuts.entrySet()) {
                    replayed += replay(source, cluster, applier, e.getKey(), e.getValue(), point.at());
                }
                applier.commit();
                positions = new TreeMap<>(applier.positions());
            } catch (SQLException e) {
                throw new ReplayException("cannot open " + tmp + ": " + e.getMessage(), e);
            }
            Restorer.install(tmp, target);
            return new Restored(start.id(), positions, replayed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + start.id() + " to " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover is replaced by the next restore
            }
        }
    }

    /** Applies one stream from the applier's position + 1 through {@code cut}, or until a message past {@code at}. */
    private static long replay(ChangeSource source, ClusterConfig cluster, Applier applier, String stream, long cut,
                               Instant at) {
        long next = applier.position(stream) + 1;
        long applied = 0;
        try (ChangeSource.Cursor cursor = source.open(stream, next);
             ChangeDecoder decoder = new ChangeDecoder(cluster.compressed())) {
            while (next <= cut) {
                List<ChangeMessage> batch = cursor.next(1_000, WAIT);
                if (batch.isEmpty()) {
                    throw new IllegalStateException(stream + " stopped delivering at seq " + next + " before " + cut);
                }
                for (ChangeMessage m : batch) {
                    if (m.seq() > cut || at != null && m.time() != null && m.time().isAfter(at)) {
                        return applied;
                    }
                    if (applier.apply(stream, m.seq(), decoder.decode(m.data()))) {
                        applied++;
                    }
                    next = m.seq() + 1;
                }
            }
        }
        return applied;
    }

    /**
     * The newest readable snapshot the point holds; an error naming the oldest when none does.
     * Newest by creation time (ms), then by stream positions: ids share a second's resolution.
     */
    static Manifest newestAtOrBefore(SnapshotStore store, Point point) {
        List<Manifest> all = new ArrayList<>();
        for (String id : Catalog.snapshotIds(store)) {
            try {
                all.add(Catalog.manifest(store, id, null).manifest());
            } catch (InvalidManifestException e) {
                // damaged: not a starting point
            }
        }
        all.sort(java.util.Comparator.comparing(Manifest::createdAt)
                .thenComparingLong(m -> m.positions().values().stream().mapToLong(Long::longValue).sum()));
        for (int i = all.size() - 1; i >= 0; i--) {
            if (point.holds(all.get(i))) {
                return all.get(i);
            }
        }
        throw new IllegalArgumentException("no snapshot in " + store.describe() + " is at or before " + point
                + (all.isEmpty() ? "" : "; the oldest is " + all.get(0).id()));
    }
}
