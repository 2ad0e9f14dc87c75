package io.tidemark.cli.bench;

import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.LayerPolicy;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.restore.Restorer;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.SnapshotWriter;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Builds that keep pace (page sets on a warm database) beside the whole-database build they
 * replace, in the same run: a build of the same changes on a small and on a large database, what
 * each uploads, the scratch disk at peak, and a restore through a chain of ten page sets beside
 * {@code cp} of the database.
 */
final class PageBuildBench {
    private static final int CHAIN = 10;
    private static final int ROUNDS = 3;

    private PageBuildBench() {}

    /** What one measured build did. */
    record Measured(double seconds, long uploaded, long scratchPeak, String how) {}

    static void run(Path dir, Figures out, int smallMb, int largeMb, long changes) throws Exception {
        Files.createDirectories(dir);
        Measured small = onDatabase(dir.resolve("small"), out, smallMb, changes, false);
        Measured large = onDatabase(dir.resolve("large"), out, largeMb, changes, true);
        out.add(String.format("%,d-change build, %d MB db", changes, largeMb), large.seconds, "s",
                "same build on " + smallMb + " MB", small.seconds, "<= 3x");
    }

    private static Measured onDatabase(Path dir, Figures out, int mb, long changes, boolean large) throws Exception {
        Files.createDirectories(dir);
        Path db = SnapshotIoBench.makeDatabase(dir, mb);
        long raw = Files.size(db);
        try (BenchEnv env = new BenchEnv(dir, "bench-pages", 1, 100_000_000)) {
            env.publisher().seedFromDatabase(db, Map.of());
            Files.delete(db);
            long seedBytes = head(env).db().bytes();
            WorkloadGenerator gen = new WorkloadGenerator(env.cluster, 5, 64);
            Path warmWork = dir.resolve("work-warm");
            env.publish(gen::next, changes);
            build(env, warmWork, LayerPolicy.DEFAULT); // first build: warms the work dir up (fetches HEAD)

            env.publish(gen::next, changes);
            Measured page = build(env, warmWork, new LayerPolicy(CHAIN, 0.5, 0.25));
            env.publish(gen::next, changes);
            // The same kind of build as before page sets: fetch HEAD, replay, VACUUM INTO, zstd, upload.
            Measured whole = build(env, dir.resolve("work-whole-" + System.nanoTime()), LayerPolicy.FULL_ONLY);
            out.note(String.format("%d MB database (%.0f MB compressed): page build %s; whole build %s", mb,
                    seedBytes / 1e6, page.how, whole.how));
            out.add(String.format("build %,d changes on %d MB", changes, mb), page.seconds, "s",
                    "whole-database build (before)", whole.seconds, "lower is better");
            out.add("  uploaded by that build", page.uploaded / 1e6, "MB", "whole build uploads", whole.uploaded / 1e6,
                    "<= 5% of compressed db");
            out.add("  scratch peak of that build", page.scratchPeak / 1e6, "MB", "raw database", raw / 1e6,
                    "<= 1.1x");
            out.add("  scratch peak, whole build", whole.scratchPeak / 1e6, "MB", "raw database", raw / 1e6, "(before)");
            // The whole page-stable database (what a build stores past half changed, or --rebase),
            // compressed while it uploads: no .zst beside it in scratch.
            env.publish(gen::next, changes);
            Measured rebase = build(env, warmWork, LayerPolicy.REBASE);
            out.add("  scratch peak, whole database (--rebase)", rebase.scratchPeak / 1e6, "MB", "raw database",
                    raw / 1e6, "<= 1.1x");
            out.add("  time of that --rebase build", rebase.seconds, "s", "whole-database build (before)",
                    whole.seconds, "lower is better");
            if (large) {
                // A chain of CHAIN page sets (the whole build above reset it to a full database).
                for (int i = 0; i < CHAIN; i++) {
                    env.publish(gen::next, changes);
                    build(env, warmWork, new LayerPolicy(CHAIN, 0.5, 0.25));
                }
                Manifest m = head(env);
                restore(env, dir, out, m);
            }
            return page;
        }
    }

    /**
     * Restore through the chain beside {@code cp}, best of {@link #ROUNDS} interleaved runs (the
     * machine is shared: a single run says little), and the same chain over its full layer written
     * as one zstd frame, as every full layer was before issue 8; then the full layer's write
     * (sha256 and zstd) in frames and as one frame.
     */
    private static void restore(BenchEnv env, Path dir, Figures out, Manifest m) throws Exception {
        Path plain = dir.resolve("plain.db");
        Restorer.download(env.store, m, plain, Progress.NONE);
        Manifest oneFrame = OneFrame.sameChain(env.store, m);
        Path copy = dir.resolve("cp.db");
        Path restored = dir.resolve("restored.db");
        Path again = dir.resolve("again.db");
        double[] best = new double[7];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        double[] first = new double[2]; // the first round: before earlier rounds warm the disk and page cache
        for (int r = 0; r < ROUNDS; r++) {
            double cp = shell(copy, "cp \"$0\" \"$1\"", plain);
            double restore = timed(() -> Restorer.restore(env.store, m, restored, Progress.NONE));
            if (r == 0) {
                first[0] = cp;
                first[1] = restore;
            }
            best[0] = Math.min(best[0], cp);
            best[1] = Math.min(best[1], restore);
            best[2] = Math.min(best[2], timed(() -> Restorer.restore(env.store, oneFrame, restored, Progress.NONE)));
            // The parts: rebuilding (fetch, unzstd, patch, sha256) and the fsync that makes it durable.
            best[3] = Math.min(best[3], timed(() -> Restorer.download(env.store, m, again, Progress.NONE)));
            long f0 = System.nanoTime(); // no sync first: the fsync is what is measured
            io.tidemark.core.snapshot.Durable.sync(again);
            best[4] = Math.min(best[4], (System.nanoTime() - f0) / 1e9);
            Files.delete(again);
            best[5] = Math.min(best[5], shell(copy, "cp \"$0\" \"$1\" && sync \"$1\"", plain));
            best[6] = Math.min(best[6], timed(() -> Restorer.download(env.store, oneFrame, again, Progress.NONE)));
            Files.delete(again);
        }
        // A cold builder's fetch of a whole database: fetchBase trusts the object's sha256 and
        // zstd's frame checksums instead of hashing the raw file again.
        Manifest full = io.tidemark.core.manifest.Catalog.manifestOrHead(env.store, m.chain().get(0).snapshot())
                .manifest();
        double[] fetch = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int r = 0; r < ROUNDS; r++) {
            fetch[0] = Math.min(fetch[0], timed(() -> Restorer.download(env.store, full, again, Progress.NONE)));
            Files.delete(again);
            fetch[1] = Math.min(fetch[1], timed(() -> Restorer.fetchBase(env.store, full, again, Progress.NONE)));
            Files.delete(again);
        }
        out.add("builder's cold fetch, one full layer", fetch[1], "s", "same, raw file hashed (download)", fetch[0],
                "lower is better");
        int sets = m.chain().size() - 1;
        out.note(String.format("best of %d, s: restore %.2f, over one frame %.2f; rebuild %.2f (one frame %.2f), fsync"
                + " %.2f; cp %.2f, cp+sync %.2f", ROUNDS, best[1], best[2], best[3], best[6], best[4], best[0], best[5]));
        out.add("restore through " + sets + " page sets", best[1], "s", "cp of the database", best[0], "<= 1.5x cp");
        out.add("  same, first round", first[1], "s", "cp of the database, first round", first[0], "(cold)");
        out.add("  same, full layer as one frame", best[2], "s", "cp of the database", best[0], "(before issue 8)");
        out.add("restore through page sets, durable", best[1], "s", "cp then sync of the file", best[5],
                "(for comparison)");
        Path zst = dir.resolve("full.zst");
        double[] write = new double[3];
        java.util.Arrays.fill(write, Double.MAX_VALUE);
        for (int r = 0; r < ROUNDS; r++) {
            write[0] = Math.min(write[0], shell(copy, "cp \"$0\" \"$1\"", plain));
            write[1] = Math.min(write[1], timed(() -> SnapshotWriter.defaults().compress(plain, zst)));
            write[2] = Math.min(write[2], timed(() -> OneFrame.compress(plain, zst)));
        }
        out.note(String.format("best of %d, s: full-layer write (sha256 + zstd) %.2f, as one frame %.2f; cp %.2f",
                ROUNDS, write[1], write[2], write[0]));
        out.add("full-layer write (sha256, zstd)", write[1], "s", "cp of the database", write[0], "<= 2x cp");
        out.add("  same, as one frame", write[2], "s", "cp of the database", write[0], "(before issue 8)");
        Files.deleteIfExists(zst);
        Files.deleteIfExists(copy);
        Files.delete(plain);
        Files.delete(restored);
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Timed after a {@code sync}: the step before leaves up to a GB of dirty pages, and their
     * writeback would otherwise land on whichever step comes next.
     */
    private static double timed(Step step) throws Exception {
        if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) {
            throw new IOException("sync failed");
        }
        long t0 = System.nanoTime();
        step.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds of {@code sh -c script from copy}, the copy deleted before and after. */
    private static double shell(Path copy, String script, Path from) throws Exception {
        Files.deleteIfExists(copy);
        double s = timed(() -> {
            Process p = new ProcessBuilder("sh", "-c", script, from.toString(), copy.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException(script + " failed");
            }
        });
        Files.delete(copy);
        return s;
    }

    /** One build with its own work directory, measured; it must create a snapshot. */
    static Measured build(BenchEnv env, Path work, LayerPolicy policy) throws Exception {
        BuildOptions options = BuildOptions.builder(work).layers(policy).retention(null).build();
        SnapshotBuilder b = new SnapshotBuilder(env.cluster, new JetStreamChangeSource(env.nc, env.cluster, false),
                env.store, env.leases, EventPublisher.NONE, options);
        AtomicLong peak = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(du(work), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // The warm database was there before the build: count what the build adds to it.
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        BuildResult r = b.build(Trigger.MANUAL, false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        done.set(true);
        sampler.join();
        if (r.outcome() != BuildResult.Outcome.CREATED) {
            throw new IllegalStateException("benchmark build did not create a snapshot: " + r.message());
        }
        Manifest m = head(env);
        return new Measured(seconds, m.db().bytes(), peak.get(),
                r.message().replaceFirst("^.*is HEAD \\(", "(") + " steps " + r.stepMillis());
    }

    private static long du(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while walking
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static Manifest head(BenchEnv env) {
        return Catalog.headManifest(env.store, Catalog.requireHead(env.store).head()).manifest();
    }
}
