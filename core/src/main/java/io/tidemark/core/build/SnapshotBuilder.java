package io.tidemark.core.build;

import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.SequenceGapException;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.event.TidemarkEvent;
import io.tidemark.core.lease.LeaseHeldException;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.restore.Restorer;
import io.tidemark.core.retention.Retention;
import io.tidemark.core.snapshot.PageHashes;
import io.tidemark.core.snapshot.SnapshotFile;
import io.tidemark.core.store.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a snapshot from the stream: HEAD's database plus a replay of every change since, up to
 * the last sequences read at the start (the cut). Steps 1 to 9 of DESIGN.md. A crash at any step
 * leaves HEAD on a complete snapshot; the scratch files live under the work directory and go.
 */
public final class SnapshotBuilder {
    private final ClusterConfig cluster;
    private final ChangeSource source;
    private final SnapshotStore store;
    private final LeaseManager leases;
    private final EventPublisher events;
    private final BuildOptions options;

    public SnapshotBuilder(ClusterConfig cluster, ChangeSource source, SnapshotStore store, LeaseManager leases,
                           EventPublisher events, BuildOptions options) {
        this.cluster = cluster;
        this.source = source;
        this.store = store;
        this.leases = leases;
        this.events = events;
        this.options = options;
    }

    public BuildResult build(Trigger trigger, boolean force) {
        Run run = new Run(trigger);
        LeaseKeeper keeper;
        try {
            keeper = LeaseKeeper.acquire(leases, BuildOptions.LEASE_NAME, options.holder(), options.leaseTtl(),
                    options.clock());
        } catch (LeaseHeldException e) {
            return run.result(BuildResult.Outcome.LEASE_HELD, null, null, Map.of(), 0, e.getMessage());
        }
        try (keeper) {
            run.step(BuildStep.LEASE_TAKEN);
            // A dead builder's scratch goes now, even when this build finds nothing to do.
            if (Files.isDirectory(options.workDir())) {
                Scratch.sweep(options.workDir());
            }
            return build(run, keeper, force);
        } catch (SequenceGapException e) {
            return run.gap(e);
        } catch (RuntimeException e) {
            BuildResult failed = run.result(BuildResult.Outcome.FAILED, null, null, Map.of(), 0,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            publishQuietly(TidemarkEvent.Type.SnapshotFailed, run.detail(failed));
            return failed;
        }
    }

    private BuildResult build(Run run, LeaseKeeper keeper, boolean force) {
        Instant cutAt = options.clock().instant();
        Catalog.VersionedHead head = Catalog.requireHead(store);
        if (head.head().leaseToken() > keeper.token()) {
            // Refuse now, not after replaying and uploading a snapshot HEAD would refuse anyway.
            throw new StaleLeaderException("HEAD " + head.head().snapshot() + " was moved with lease token "
                    + head.head().leaseToken() + ", above this lease's " + keeper.token() + ": the lease state was"
                    + " lost or another lease backend moved HEAD; check snapshot.lease (tokens from this version on"
                    + " start from the clock, so taking the lease again from a lease store of this version fixes it)");
        }
        Catalog.StoredManifest base = Catalog.headManifest(store, head.head());
        Map<String, Long> cuts = new LinkedHashMap<>();
        long pending = 0;
        for (String stream : cluster.streamNames()) {
            StreamState state = source.state(stream);
            long position = base.manifest().position(stream);
            if (state.hasGapAfter(position)) {
                throw new SequenceGapException(stream, position, state.firstSeq());
            }
            // A stream that was reset below the snapshot's position cannot be replayed onto it.
            cuts.put(stream, Math.max(state.lastSeq(), position));
            pending += state.pendingAfter(position);
        }
        run.step(BuildStep.HEAD_READ);
        String baseId = base.manifest().id();
        if (pending == 0 && !force) {
            BuildResult skipped = run.result(BuildResult.Outcome.SKIPPED, baseId, baseId, base.manifest().positions(),
                    0, "nothing new since " + baseId);
            events.publish(new TidemarkEvent(TidemarkEvent.Type.SnapshotSkipped, cluster.cluster(), run.detail(skipped)));
            return skipped;
        }
        Path dir = scratchDir();
        Optional<WarmDatabase> warm = options.layers().fullOnly() ? Optional.empty()
                : WarmDatabase.open(options.workDir(), cluster.cluster());
        boolean ok = false;
        try {
            Stored stored = options.layers().fullOnly() ? wholeBuild(run, base, cuts, keeper, dir)
                    : pageBuild(run, base, cuts, keeper, dir, warm);
            Map<String, Long> positions = stored.positions;
            long applied = stored.applied;
            SnapshotCommitter.Committed done = new SnapshotCommitter(store, options.clock(), run::step, options.progress())
                    .commit(stored.prepared, positions, new SnapshotCommitter.Origin(cluster.cluster(),
                            new Manifest.BaseRef(baseId, base.sha256()), run.trigger, options.holder(), applied,
                            run.started), keeper);
            warm.ifPresent(w -> w.record(done.manifest().id(), done.manifest().db().rawSha256(), stored.pages));
            ok = true;
            BootCopy.Result boot = bootCopy(done.manifest().id(), positions, stored.raw, cutAt, keeper);
            run.step(BuildStep.BOOT_COPY_WRITTEN);
            if (options.retention() != null) {
                Retention.apply(store, done.manifest().id(), options.retention(), options.clock().instant());
            }
            run.step(BuildStep.RETENTION_APPLIED);
            String what = stored.describe(done.manifest().db().bytes());
            BuildResult created = run.result(BuildResult.Outcome.CREATED, done.manifest().id(), baseId, positions,
                    applied, "snapshot " + done.manifest().id() + " is HEAD (" + what + ")", boot, what);
            if (boot != null && boot.outcome() == BootCopy.Outcome.STALE) {
                publishQuietly(TidemarkEvent.Type.BootCopyStale, run.detail(created));
            }
            publishQuietly(TidemarkEvent.Type.SnapshotCreated, run.detail(created));
            return created;
        } finally {
            if (!ok) {
                warm.ifPresent(WarmDatabase::discard);
            }
            warm.ifPresent(WarmDatabase::close);
            Scratch.delete(dir);
        }
    }

    /**
     * What a build stores, before the commit.
     *
     * @param pages the stored database's page fingerprints, for the next build on it; null if unknown
     */
    private record Stored(SnapshotCommitter.Prepared prepared, Path raw, Map<String, Long> positions, long applied,
                          String how, PageHashes pages) {
        /** @param bytes what the commit stored (known only then for a database compressed while it uploads) */
        String describe(long bytes) {
            return how + ", " + bytes + " bytes stored";
        }
    }

    /** Format 1: HEAD's database fetched into scratch, replayed, vacuumed into a new file, stored whole. */
    private Stored wholeBuild(Run run, Catalog.StoredManifest base, Map<String, Long> cuts, LeaseKeeper keeper, Path dir) {
        Path db = dir.resolve("base.sqlite");
        Restorer.fetchBase(store, base.manifest(), db, options.progress());
        run.step(BuildStep.BASE_FETCHED);
        StreamCatchUp.Replayed replayed = StreamCatchUp.run(db, base.manifest().positions(), cuts, source, cluster,
                options, keeper, dir.resolve("out"), () -> run.step(BuildStep.REPLAYED));
        run.step(BuildStep.WRITTEN);
        return new Stored(SnapshotCommitter.Prepared.whole(replayed.file()), replayed.file().raw(), replayed.positions(),
                replayed.applied(), "whole database", null);
    }

    /** Page sets: the warm database (or HEAD rebuilt) changed in place; the pages it changed stored. */
    private Stored pageBuild(Run run, Catalog.StoredManifest base, Map<String, Long> cuts, LeaseKeeper keeper, Path dir,
                             Optional<WarmDatabase> warm) {
        Path db;
        boolean kept = false;
        Optional<PageHashes> known = Optional.empty();
        if (warm.isPresent()) {
            kept = warm.get().prepare(store, base.manifest(), options.progress());
            db = warm.get().file();
            known = warm.get().pageHashes(base.manifest().db().rawSha256());
        } else {
            db = dir.resolve("base.sqlite");
            Restorer.fetchBase(store, base.manifest(), db, options.progress());
        }
        run.step(BuildStep.BASE_FETCHED);
        PageBuild.Built built = PageBuild.run(db, known, base.manifest(), cuts, source, cluster, options, keeper, store, dir,
                () -> run.step(BuildStep.REPLAYED));
        run.step(BuildStep.WRITTEN);
        String how = switch (built.kind()) {
            case LEVEL0 -> "level-0 page set";
            case LEVEL1 -> "level-1 page set";
            case FULL -> "whole database";
            case FULL_VACUUMED -> "whole database, vacuumed";
        };
        return new Stored(built.prepared(), db, built.positions(), built.applied(),
                how + " (" + built.changedPages() + " of " + built.databasePages() + " pages changed)"
                        + (kept ? " on the warm database" : " on HEAD fetched"), built.after());
    }

    /** Null when turned off. A failure is reported, not thrown: the snapshot is HEAD already. */
    private BootCopy.Result bootCopy(String id, Map<String, Long> positions, Path raw, Instant cutAt,
                                     LeaseKeeper keeper) {
        if (!options.bootCopy()) {
            return null;
        }
        try {
            return BootCopy.publish(store, source, cluster, id, positions, raw, cutAt, keeper, false);
        } catch (RuntimeException e) {
            return new BootCopy.Result(BootCopy.Outcome.FAILED, "snapshot.db not written to " + store.describe() + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Path scratchDir() {
        return Scratch.create(options.workDir(), "build-");
    }

    private void publishQuietly(TidemarkEvent.Type type, Map<String, Object> detail) {
        try {
            events.publish(new TidemarkEvent(type, cluster.cluster(), detail));
        } catch (RuntimeException ignored) {
            // The snapshot's fate is already decided; a lost notification must not change it.
        }
    }

    /** Per-build bookkeeping: step timings and result assembly. */
    private final class Run {
        final Trigger trigger;
        final long started = System.nanoTime();
        final Map<String, Long> stepMillis = new LinkedHashMap<>();
        long last = started;

        Run(Trigger trigger) {
            this.trigger = trigger;
        }

        void step(BuildStep step) {
            long now = System.nanoTime();
            if (step != null) {
                stepMillis.merge(step.name().toLowerCase(), (now - last) / 1_000_000, Long::sum);
                options.listener().reached(step);
            }
            last = now;
        }

        BuildResult result(BuildResult.Outcome outcome, String id, String baseId, Map<String, Long> positions,
                           long applied, String message) {
            return result(outcome, id, baseId, positions, applied, message, null, null);
        }

        BuildResult result(BuildResult.Outcome outcome, String id, String baseId, Map<String, Long> positions,
                           long applied, String message, BootCopy.Result bootCopy, String stored) {
            return new BuildResult(outcome, trigger, id, baseId, positions, applied,
                    (System.nanoTime() - started) / 1_000_000,
                    Collections.unmodifiableMap(new LinkedHashMap<>(stepMillis)), message, bootCopy, stored);
        }

        BuildResult gap(SequenceGapException e) {
            BuildResult gap = result(BuildResult.Outcome.GAP, null, null, Map.of(e.stream(), e.position()), 0,
                    e.getMessage());
            Map<String, Object> detail = detail(gap);
            detail.put("stream", e.stream());
            detail.put("position", e.position());
            detail.put("firstAvailable", e.firstAvailable());
            publishQuietly(TidemarkEvent.Type.SnapshotGapDetected, detail);
            return gap;
        }

        Map<String, Object> detail(BuildResult r) {
            return r.detail();
        }
    }
}
