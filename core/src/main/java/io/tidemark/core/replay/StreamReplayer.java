package io.tidemark.core.replay;

import io.tidemark.core.change.ChangeDecoder;
import io.tidemark.core.change.ChangeEvent;
import io.tidemark.core.change.ChangeMessage;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.MalformedChangeException;
import io.tidemark.core.change.SequenceGapException;
import io.tidemark.core.snapshot.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Replays streams into an {@link Applier}: one reader thread per stream fetches and decodes (so
 * shards decode in parallel), and the calling thread applies, since SQLite has one writer. Commits
 * every {@code commitEvery} changes, at the end, and, when following live, whenever the readers go
 * idle.
 *
 * <p>Bounded mode ({@link #replay}) stops when every stream reaches its cut. Follow mode
 * ({@link #follow}) runs until told to stop, and readers reopen their cursor after an error (such
 * as a nats-server restart) from the last sequence they handed over.
 */
public final class StreamReplayer {
    private static final int FETCH = 2_000;
    private static final Duration WAIT = Duration.ofMillis(200);
    private static final Duration STALL = Duration.ofSeconds(30);

    private final ChangeSource source;
    private final boolean compressed;
    private final Applier applier;
    private final int commitEvery;
    private final Progress progress;
    private final Runnable beforeCommit;
    private final Runnable afterCommit;

    /**
     * @param beforeCommit runs before each commit; throw from it to stop (a lost lease, say)
     * @param afterCommit runs after each commit and whenever the readers go idle, always with no
     *                    transaction open (mirroring positions, or a full snapshot, say)
     */
    public StreamReplayer(ChangeSource source, boolean compressed, Applier applier, int commitEvery,
                          Progress progress, Runnable beforeCommit, Runnable afterCommit) {
        this.source = source;
        this.compressed = compressed;
        this.applier = applier;
        this.commitEvery = commitEvery;
        this.progress = progress;
        this.beforeCommit = beforeCommit;
        this.afterCommit = afterCommit;
    }

    private record Batch(String stream, long[] seqs, ChangeEvent[] events, RuntimeException error, boolean done) {}

    /** Replays each stream from the applier's position + 1 through its cut. Returns changes applied. */
    public long replay(Map<String, Long> cuts) {
        long total = 0;
        for (Map.Entry<String, Long> e : cuts.entrySet()) {
            total += Math.max(0, e.getValue() - applier.position(e.getKey()));
        }
        return run(cuts, () -> false, total);
    }

    /** Follows every stream live until {@code stop} says so; commits what it applied before returning. */
    public long follow(List<String> streams, BooleanSupplier stop) {
        Map<String, Long> open = new java.util.LinkedHashMap<>();
        streams.forEach(s -> open.put(s, Long.MAX_VALUE));
        return run(open, stop, -1);
    }

    private long run(Map<String, Long> cuts, BooleanSupplier stop, long expected) {
        boolean live = expected < 0;
        // Four fetches (at most ~8k decoded changes) in flight: enough for the readers to stay ahead of the
        // applier, few enough that young collections do not copy them over and over. A 1M-change build
        // spent 2.8 s of 10.4 s in GC with 16 (BENCHMARKS.md), with no gain in speed at 100k.
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(4);
        List<Thread> readers = new ArrayList<>();
        int active = 0;
        for (Map.Entry<String, Long> e : cuts.entrySet()) {
            long from = applier.position(e.getKey()) + 1;
            if (from > e.getValue()) {
                continue;
            }
            active++;
            Thread t = new Thread(() -> read(e.getKey(), from, e.getValue(), live, queue, stop),
                    "replay-" + e.getKey());
            t.setDaemon(true);
            readers.add(t);
            t.start();
        }
        long applied = 0;
        long uncommitted = 0;
        try {
            while (active > 0 && !(live && stop.getAsBoolean())) {
                Batch b = queue.poll(50, TimeUnit.MILLISECONDS);
                if (b == null) {
                    // Live: an idle moment is the time to commit (latency). Bounded: keep batching.
                    if (uncommitted > 0 && live) {
                        beforeCommit.run();
                        applier.commit();
                        uncommitted = 0;
                    }
                    afterCommit.run();
                    continue;
                }
                if (b.error != null) {
                    throw b.error;
                }
                if (b.done) {
                    active--;
                    continue;
                }
                for (int i = 0; i < b.seqs.length; i++) {
                    if (applier.apply(b.stream, b.seqs[i], b.events[i])) {
                        applied++;
                        uncommitted++;
                    }
                }
                progress.update("replay", applied, expected);
                if (uncommitted >= commitEvery) {
                    commit();
                    uncommitted = 0;
                }
            }
            if (uncommitted > 0) {
                commit();
            }
            return applied;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("replay interrupted", e);
        } catch (RuntimeException e) {
            try {
                applier.rollback();
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback); // SQLite may have rolled back already (a full disk does): keep the cause
            }
            throw e;
        } finally {
            readers.forEach(Thread::interrupt);
        }
    }

    private void commit() {
        beforeCommit.run();
        applier.commit();
        afterCommit.run();
    }

    private void read(String stream, long from, long cut, boolean live, BlockingQueue<Batch> queue,
                      BooleanSupplier stop) {
        long next = from;
        long lastProgress = System.nanoTime();
        try (ChangeDecoder decoder = new ChangeDecoder(compressed)) {
            while (next <= cut && !Thread.currentThread().isInterrupted() && !(live && stop.getAsBoolean())) {
                try (ChangeSource.Cursor cursor = source.open(stream, next)) {
                    while (next <= cut && !Thread.currentThread().isInterrupted()) {
                        if (live && stop.getAsBoolean()) {
                            return;
                        }
                        List<ChangeMessage> msgs = cursor.next(FETCH, WAIT);
                        if (msgs.isEmpty()) {
                            if (!live && System.nanoTime() - lastProgress > STALL.toNanos()) {
                                throw new ReplayException("stream " + stream + " delivered nothing for " + STALL
                                        + " at seq " + next + ", before the cut " + cut, null);
                            }
                            continue;
                        }
                        lastProgress = System.nanoTime();
                        next = hand(stream, next, cut, msgs, queue, decoder);
                    }
                } catch (SequenceGapException | MalformedChangeException | ReplayException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (!live) {
                        throw e;
                    }
                    // Live: the server may be restarting. Reopen from where we stopped.
                    Thread.sleep(500);
                }
            }
            queue.put(new Batch(stream, null, null, null, true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                queue.put(new Batch(stream, null, null, e, false)); // the applier keeps draining, so this lands
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Decodes a fetched batch and queues it; returns the next sequence expected. */
    private long hand(String stream, long next, long cut, List<ChangeMessage> msgs, BlockingQueue<Batch> queue,
                      ChangeDecoder decoder) throws InterruptedException {
        int n = 0;
        long[] seqs = new long[msgs.size()];
        ChangeEvent[] events = new ChangeEvent[msgs.size()];
        for (ChangeMessage m : msgs) {
            if (m.seq() < next) {
                continue; // redelivery after a reopen
            }
            if (m.seq() > cut) {
                break;
            }
            if (m.seq() != next) {
                throw new SequenceGapException(stream, next - 1, m.seq());
            }
            try {
                events[n] = decoder.decode(m.data());
            } catch (MalformedChangeException e) {
                throw e.at(stream, m.seq());
            }
            seqs[n++] = m.seq();
            next = m.seq() + 1;
        }
        if (n > 0) {
            queue.put(new Batch(stream, java.util.Arrays.copyOf(seqs, n), java.util.Arrays.copyOf(events, n), null,
                    false));
        }
        return next;
    }
}
