package io.tidemark.replica;

import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.Publisher;
import io.tidemark.core.build.SnapshotCommitter;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.SeqMap;
import io.tidemark.core.change.SequenceGapException;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.replay.Applier;
import io.tidemark.core.replay.PositionTable;
import io.tidemark.core.replay.StreamReplayer;
import io.tidemark.core.restore.RecoveryPlan;
import io.tidemark.core.restore.Restorer;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.store.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived replica of a cluster's database. On start it restores HEAD when it has no database,
 * a corrupt one, or has fallen behind what the stream still holds; then it replays from its
 * positions, exactly once: positions live in the database and commit with the changes, and are
 * mirrored to HarmonyLite's {@code seq-map.cbor}. It can publish a full snapshot of itself.
 */
public final class Replica implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    private static final int COMMIT_EVERY = 20_000;

    /** What the replica is doing, for /health and /status. */
    public enum State { STARTING, RESTORING, CATCHING_UP, FOLLOWING, STOPPED, FAILED }

    private final TidemarkConfig config;
    private final ChangeSource source;
    private final SnapshotStore store;
    private final LeaseManager leases;
    private final Progress progress;
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicReference<CompletableFuture<SnapshotCommitter.Committed>> snapshotRequest =
            new AtomicReference<>();
    private volatile Map<String, Long> mirrored = Map.of();
    private volatile RecoveryPlan.Decision lastDecision;
    private volatile String lastError;
    private volatile double restoreSeconds = Double.NaN;
    private volatile java.time.Instant lastAppliedAt;
    private Connection conn;
    private Applier applier;

    public Replica(TidemarkConfig config, ChangeSource source, SnapshotStore store, LeaseManager leases,
                   Progress progress) {
        this.config = config;
        this.source = source;
        this.store = store;
        this.leases = leases;
        this.progress = progress;
    }

    /** Checks the local database, restores HEAD if it must, and opens it for replay. */
    public RecoveryPlan.Decision recover() {
        Path db = config.dbPath();
        boolean exists = Files.isRegularFile(db);
        String check = exists ? quickCheck(db) : "missing";
        Map<String, Long> stored = exists && "ok".equals(check) ? storedPositions(db) : Map.of();
        Map<String, Long> positions = stored == null ? Map.of() : stored;
        List<StreamState> states = new ArrayList<>();
        for (String stream : source.streams()) {
            states.add(source.state(stream));
        }
        RecoveryPlan.Decision decision = RecoveryPlan.decide(exists, check, stored, states,
                config.cluster().maxEntries());
        lastDecision = decision;
        Manifest head = decision.restore() ? Catalog.headManifest(store, Catalog.requireHead(store).head()).manifest()
                : null;
        if (head != null && (decision.reason() == RecoveryPlan.Reason.BEHIND_STREAM
                || decision.reason() == RecoveryPlan.Reason.TOO_FAR_BEHIND) && !aheadOf(head, positions)) {
            // HEAD holds nothing the local database lacks: restoring would only lose work.
            if (decision.reason() == RecoveryPlan.Reason.BEHIND_STREAM) {
                StreamState gap = states.stream().filter(s -> s.hasGapAfter(positions.getOrDefault(s.stream(), 0L)))
                        .findFirst().orElseThrow();
                throw new SequenceGapException(gap.stream(), positions.getOrDefault(gap.stream(), 0L), gap.firstSeq());
            }
            head = null; // too far behind, but the stream still holds every change: replay it
        }
        if (head != null) {
            state.set(State.RESTORING);
            if (decision.reason() == RecoveryPlan.Reason.UNKNOWN_POSITIONS) {
                Path aside = keepAside(db);
                LOG.warn("replica {}: {}; kept it as {} and restoring HEAD", db, decision.detail(), aside);
            }
            LOG.info("replica {}: restoring snapshot {} ({}: {})", db, head.id(), decision.reason(), decision.detail());
            long t0 = System.nanoTime();
            Restorer.restore(store, head, db, progress);
            restoreSeconds = (System.nanoTime() - t0) / 1e9;
            open(db);
            applier.resetPositions(head.positions());
            applier.commit();
            for (StreamState s : states) {
                if (s.hasGapAfter(head.position(s.stream()))) {
                    throw new SequenceGapException(s.stream(), head.position(s.stream()), s.firstSeq());
                }
            }
        } else {
            open(db);
            LOG.info("replica {}: resuming at {}", db, applier.positions());
        }
        mirror();
        return decision;
    }

    /** True when HEAD holds some stream further than the local positions. */
    private static boolean aheadOf(Manifest head, Map<String, Long> positions) {
        return head.positions().entrySet().stream()
                .anyMatch(e -> e.getValue() > positions.getOrDefault(e.getKey(), 0L));
    }

    /** Replays up to the streams' current last sequences and returns the changes applied. */
    public long catchUp() {
        state.set(State.CATCHING_UP);
        Map<String, Long> cuts = new LinkedHashMap<>();
        for (String stream : source.streams()) {
            cuts.put(stream, source.state(stream).lastSeq());
        }
        return replayer().replay(cuts);
    }

    /** Replays live until {@code stop} says so. Survives NATS restarts (readers reopen). */
    public void follow(BooleanSupplier stop) {
        state.set(State.FOLLOWING);
        try {
            replayer().follow(source.streams(), stop);
            state.set(State.STOPPED);
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            state.set(State.FAILED);
            throw e;
        }
    }

    /**
     * Publishes a full snapshot of the live database (the way past a gap, or a cluster's first
     * snapshot). While following, the replay thread takes it between transactions; otherwise it runs
     * here.
     */
    public SnapshotCommitter.Committed fullSnapshot() {
        if (state.get() != State.FOLLOWING) {
            return takeFullSnapshot();
        }
        CompletableFuture<SnapshotCommitter.Committed> f = new CompletableFuture<>();
        if (!snapshotRequest.compareAndSet(null, f)) {
            throw new IllegalStateException("a full snapshot is already in progress");
        }
        return f.join();
    }

    public State state() {
        return state.get();
    }

    public Map<String, Long> positions() {
        return mirrored;
    }

    /** Changes applied since this replica opened its database. */
    public long appliedTotal() {
        Applier a = applier;
        return a == null ? 0 : a.applied();
    }

    /** How long the last restore of HEAD took, in seconds; NaN when this replica restored nothing. */
    public double restoreSeconds() {
        return restoreSeconds;
    }

    /** When applied changes last committed; null before the first. */
    public java.time.Instant lastAppliedAt() {
        return lastAppliedAt;
    }

    public RecoveryPlan.Decision lastDecision() {
        return lastDecision;
    }

    public String lastError() {
        return lastError;
    }

    public ChangeSource source() {
        return source;
    }

    private StreamReplayer replayer() {
        return new StreamReplayer(source, config.cluster().compressed(), applier, COMMIT_EVERY, progress,
                () -> { }, this::betweenTransactions);
    }

    private void betweenTransactions() {
        if (!applier.positions().equals(mirrored)) {
            lastAppliedAt = java.time.Instant.now();
            mirror();
        }
        CompletableFuture<SnapshotCommitter.Committed> f = snapshotRequest.getAndSet(null);
        if (f != null) {
            try {
                f.complete(takeFullSnapshot());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }
    }

    private SnapshotCommitter.Committed takeFullSnapshot() {
        BuildOptions options = BuildOptions.builder(config.workDir()).leaseTtl(config.leaseTtl())
                .bootCopy(config.bootCopy()).build();
        SnapshotCommitter.Committed c = new Publisher(config.cluster(), store, leases, options, source)
                .fullSnapshot(conn, applier.positions(), Trigger.REPLICA);
        LOG.info("replica {}: published full snapshot {} at {}", config.dbPath(), c.manifest().id(),
                c.manifest().positions());
        return c;
    }

    private void mirror() {
        Map<String, Long> now = applier.positions();
        SeqMap.write(config.seqMap(), now);
        mirrored = now;
    }

    private void open(Path db) {
        try {
            conn = Sqlite.openLive(db);
            applier = new Applier(conn, config.cluster().timeZone());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open replica database " + db + ": " + e.getMessage(), e);
        }
    }

    private static String quickCheck(Path db) {
        try (Connection c = Sqlite.open(db)) {
            return Sqlite.quickCheck(c);
        } catch (SQLException e) {
            return "cannot open: " + e.getMessage();
        }
    }

    /** Positions from the database's own table, else from the seq-map beside it. */
    /**
     * Tidemark's positions in the database, or null when it has none. A seq-map beside it is not
     * trusted: a publishing HarmonyLite node's seq-map can run ahead of what its file holds.
     */
    private static Map<String, Long> storedPositions(Path db) {
        try (Connection c = Sqlite.open(db)) {
            if (!PositionTable.exists(c)) {
                return null;
            }
            return PositionTable.read(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read positions from " + db + ": " + e.getMessage(), e);
        }
    }

    /** Moves a database (and its -wal, -shm) aside under a name that says why, untouched. */
    private static Path keepAside(Path db) {
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        Path aside = db.resolveSibling(db.getFileName() + ".unknown-" + stamp);
        try {
            for (String suffix : new String[]{"", "-wal", "-shm"}) {
                Path p = Path.of(db + suffix);
                if (Files.exists(p)) {
                    Files.move(p, Path.of(aside + suffix));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot move " + db + " aside to " + aside, e);
        }
        return aside;
    }

    @Override
    public void close() {
        if (applier != null) {
            applier.close();
        }
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // nothing uncommitted remains: every batch commits before close
            }
        }
        state.compareAndSet(State.FOLLOWING, State.STOPPED);
    }
}
