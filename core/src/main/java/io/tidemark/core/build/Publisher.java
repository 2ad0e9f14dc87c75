package io.tidemark.core.build;

import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.snapshot.SnapshotFile;
import io.tidemark.core.store.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Snapshots that do not come from replaying the stream: the first snapshot of a cluster (seeded
 * from a node's database or from a schema), a full snapshot of a live database (the only way past
 * a gap), and rollback of HEAD to an older snapshot.
 */
public final class Publisher {
    private final ClusterConfig cluster;
    private final SnapshotStore store;
    private final LeaseManager leases;
    private final BuildOptions options;
    private final ChangeSource source;

    /** Without a change source: no {@code snapshot.db} for HarmonyLite nodes (its freshness cannot be checked). */
    public Publisher(ClusterConfig cluster, SnapshotStore store, LeaseManager leases, BuildOptions options) {
        this(cluster, store, leases, options, null);
    }

    /** With the cluster's streams: every HEAD it writes is also published as {@code snapshot.db} when fresh. */
    public Publisher(ClusterConfig cluster, SnapshotStore store, LeaseManager leases, BuildOptions options,
                     ChangeSource source) {
        this.cluster = cluster;
        this.store = store;
        this.leases = leases;
        this.options = options;
        this.source = source;
    }

    /**
     * Seeds from a node's database. With the cluster's streams, at the start of what each stream
     * still holds (see {@link #streamStarts}); without, at the positions its seq-map records (streams
     * it lacks are at 0). Refuses when the cluster already has a HEAD: seeding never replaces history.
     */
    public SnapshotCommitter.Committed seedFromDatabase(Path db, Map<String, Long> seqMap) {
        return seedFromDatabase(db, seqMap, false);
    }

    /**
     * As {@link #seedFromDatabase(Path, Map)}; with {@code overHead}, also when the cluster has a
     * HEAD: the way past a gap when no replica holds the lost changes but a node's database does.
     * The new snapshot is built on HEAD (its manifest's {@code base}), holds the node's rows caught up
     * to the streams' ends, and moves HEAD only forwards, under the lease like any build.
     */
    public SnapshotCommitter.Committed seedFromDatabase(Path db, Map<String, Long> seqMap, boolean overHead) {
        if (overHead && source == null) {
            throw new IllegalArgumentException("seeding over HEAD needs the cluster's streams (NATS) to catch the copy up");
        }
        if (!Files.isRegularFile(db)) {
            throw new IllegalArgumentException("seed database " + db + " does not exist");
        }
        Map<String, Long> positions = positionsFrom(seqMap);
        if (source != null) {
            return seedCaughtUp(db, positions, overHead);
        }
        try (Connection c = Sqlite.open(db)) {
            return publishFirst(c, positions, Trigger.SEED);
        } catch (SQLException e) {
            throw new IllegalArgumentException("seed database " + db + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /**
     * A copy of the node's database, caught up on every stream from the start of what it still
     * holds to its last sequence now: the seed's positions are then the streams' heads, not their
     * tails, so the next changes cannot push it into a gap.
     */
    private SnapshotCommitter.Committed seedCaughtUp(Path db, Map<String, Long> seqMapPositions, boolean overHead) {
        try (LeaseKeeper keeper = lease()) {
            Manifest.BaseRef base = null;
            if (overHead) {
                base = Catalog.readHead(store).map(h -> new Manifest.BaseRef(h.head().snapshot(),
                        h.head().manifestSha256())).orElse(null);
            } else {
                refuseIfSeeded();
            }
            java.time.Instant cutAt = options.clock().instant();
            long started = System.nanoTime();
            Map<String, Long> from = streamStarts(seqMapPositions);
            Map<String, Long> cuts = new TreeMap<>();
            for (Map.Entry<String, Long> e : from.entrySet()) {
                cuts.put(e.getKey(), Math.max(e.getValue(), source.state(e.getKey()).lastSeq()));
            }
            Path dir = scratch();
            try {
                Path copy = dir.resolve("seed.sqlite");
                try (Connection c = Sqlite.open(db)) {
                    io.tidemark.core.snapshot.SnapshotWriter.vacuumInto(c, copy);
                } catch (SQLException e) {
                    throw new IllegalArgumentException("seed database " + db + " cannot be copied: " + e.getMessage(), e);
                }
                StreamCatchUp.Replayed r = StreamCatchUp.run(copy, from, cuts, source, cluster, options, keeper,
                        dir.resolve("out"), () -> { });
                SnapshotCommitter.Committed done = new SnapshotCommitter(store, options.clock(), options.listener(),
                        options.progress()).commit(r.file(), r.positions(), new SnapshotCommitter.Origin(
                        cluster.cluster(), base, Trigger.SEED, options.holder(), r.applied(), started), keeper);
                return withBootCopy(done, r.file(), r.positions(), cutAt, keeper);
            } finally {
                Scratch.delete(dir);
            }
        }
    }

    private void refuseIfSeeded() {
        Catalog.readHead(store).ifPresent(h -> {
            throw new IllegalStateException("cluster " + cluster.cluster() + " already has HEAD "
                    + h.head().snapshot() + " in " + store.describe() + "; seeding would replace its history"
                    + " (use `tidemark snapshot rollback`, a replica's full snapshot, or `seed --db NODE.db --over-head`"
                    + " to move HEAD past a gap with a node's database)");
        });
    }

    private SnapshotCommitter.Committed withBootCopy(SnapshotCommitter.Committed done, SnapshotFile file,
                                                     Map<String, Long> positions, java.time.Instant cutAt,
                                                     LeaseKeeper keeper) {
        if (!bootCopyOn()) {
            return done;
        }
        try {
            return done.withBootCopy(BootCopy.publish(store, source, cluster, done.manifest().id(), positions,
                    file.raw(), cutAt, keeper, false));
        } catch (RuntimeException e) {
            return done.withBootCopy(new BootCopy.Result(BootCopy.Outcome.FAILED, "snapshot.db not written to "
                    + store.describe() + ": " + e.getMessage()));
        }
    }

    /** Seeds from schema SQL: every table empty, every stream at position 0. */
    public SnapshotCommitter.Committed seedFromSchema(String schemaSql) {
        Path dir = scratch();
        try (Connection c = Sqlite.openScratch(dir.resolve("schema.sqlite"))) {
            try {
                io.tidemark.core.snapshot.SqlScript.run(c, schemaSql);
            } catch (SQLException e) {
                throw new IllegalArgumentException("schema does not apply to an empty SQLite database: "
                        + e.getMessage(), e);
            }
            if (Sqlite.userTables(c).isEmpty()) {
                throw new IllegalArgumentException("schema defines no tables");
            }
            return publishFirst(c, positionsFrom(Map.of()), Trigger.SEED);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a scratch database in " + dir, e);
        } finally {
            Scratch.delete(dir);
        }
    }

    /**
     * A full snapshot of a live database at {@code positions}, built on HEAD when there is one. The
     * caller must keep writers out of {@code live} until this returns.
     */
    public SnapshotCommitter.Committed fullSnapshot(Connection live, Map<String, Long> positions, Trigger trigger) {
        try (LeaseKeeper keeper = lease()) {
            Optional<Catalog.VersionedHead> head = Catalog.readHead(store);
            Manifest.BaseRef base = head.map(h -> new Manifest.BaseRef(h.head().snapshot(), h.head().manifestSha256()))
                    .orElse(null);
            return write(live, positions, base, trigger, keeper);
        }
    }

    /** Points HEAD back at {@code id} with a fresh lease token. The only way HEAD moves backwards. */
    public Head rollback(String id) {
        io.tidemark.core.manifest.SnapshotId.requireValid(id);
        if (store.stat(io.tidemark.core.store.StoreLayout.manifestKey(id)).isEmpty()) {
            throw new IllegalArgumentException("no snapshot " + id + " in " + store.describe()
                    + ": `tidemark snapshot list` shows the ids there are");
        }
        try (LeaseKeeper keeper = lease()) {
            Catalog.StoredManifest target = Catalog.manifest(store, id, null);
            Head head = new SnapshotCommitter(store, options.clock(), options.listener(), options.progress())
                    .moveHead(id, target.sha256(), target.manifest().positions(), keeper, true);
            if (bootCopyOn()) {
                // HarmonyLite nodes boot from the rolled-back database too, or from nothing newer.
                Path dir = scratch();
                try {
                    Path raw = dir.resolve("db.sqlite");
                    io.tidemark.core.restore.Restorer.download(store, target.manifest(), raw, options.progress());
                    BootCopy.publish(store, source, cluster, id, target.manifest().positions(), raw,
                            options.clock().instant(), keeper, true);
                } finally {
                    Scratch.delete(dir);
                }
            }
            return head;
        }
    }

    private boolean bootCopyOn() {
        return source != null && options.bootCopy();
    }

    private SnapshotCommitter.Committed publishFirst(Connection c, Map<String, Long> positions, Trigger trigger) {
        try (LeaseKeeper keeper = lease()) {
            refuseIfSeeded();
            return write(c, positions, null, trigger, keeper);
        }
    }

    private SnapshotCommitter.Committed write(Connection c, Map<String, Long> positions, Manifest.BaseRef base,
                                              Trigger trigger, LeaseKeeper keeper) {
        long started = System.nanoTime();
        java.time.Instant cutAt = options.clock().instant();
        Path dir = scratch();
        try {
            SnapshotFile file = options.writer().write(c, dir.resolve("out"));
            SnapshotCommitter.Committed done = new SnapshotCommitter(store, options.clock(), options.listener(),
                    options.progress()).commit(file, positions,
                    new SnapshotCommitter.Origin(cluster.cluster(), base, trigger, options.holder(), 0, started), keeper);
            return withBootCopy(done, file, positions, cutAt, keeper);
        } finally {
            Scratch.delete(dir);
        }
    }

    /**
     * A publishing node records its own published sequences in its seq-map, so the map can run
     * ahead of changes from other nodes it has not applied yet. Seed instead at the start of what
     * each stream still holds: the first build then replays the whole retained stream over the
     * node's database, which converges (every change is a whole-row upsert or a delete, each row's
     * history lives in one stream, in order). Refused when the node is behind even that start.
     */
    private Map<String, Long> streamStarts(Map<String, Long> seqMapPositions) {
        Map<String, Long> positions = new TreeMap<>();
        for (Map.Entry<String, Long> e : seqMapPositions.entrySet()) {
            io.tidemark.core.change.StreamState state = source.state(e.getKey());
            long start = Math.max(0, state.firstSeq() - 1);
            if (e.getValue() < start) {
                throw new IllegalArgumentException("seed database's seq-map holds " + e.getKey() + " up to seq "
                        + e.getValue() + ", but the stream starts at " + state.firstSeq() + ": the changes between"
                        + " are lost to the stream, so this database is incomplete; seed from a node that is"
                        + " caught up");
            }
            positions.put(e.getKey(), start);
        }
        return positions;
    }

    private Map<String, Long> positionsFrom(Map<String, Long> seqMap) {
        Map<String, Long> positions = new TreeMap<>();
        for (String stream : cluster.streamNames()) {
            positions.put(stream, seqMap.getOrDefault(stream, 0L));
        }
        for (String stream : seqMap.keySet()) {
            if (!positions.containsKey(stream)) {
                throw new IllegalArgumentException("seq-map names stream " + stream + ", which is not a stream of"
                        + " cluster " + cluster.cluster() + " " + cluster.streamNames()
                        + ": check stream_prefix, shards and compress");
            }
        }
        return positions;
    }

    private LeaseKeeper lease() {
        return LeaseKeeper.acquire(leases, BuildOptions.LEASE_NAME, options.holder(), options.leaseTtl(),
                options.clock());
    }

    private Path scratch() {
        return Scratch.create(options.workDir(), "publish-");
    }
}
