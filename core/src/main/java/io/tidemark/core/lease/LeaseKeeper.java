package io.tidemark.core.lease;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds a lease for the length of one job: renews it every ttl/3 on a daemon thread and remembers
 * the first failure, so the job can ask {@link #ensureHeld()} before any step that must not run
 * without the lease.
 */
public final class LeaseKeeper implements AutoCloseable {
    private final LeaseManager manager;
    private final Clock clock;
    private final AtomicReference<Lease> current;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final ScheduledExecutorService timer;

    private LeaseKeeper(LeaseManager manager, Lease lease, Duration ttl, Clock clock) {
        this.manager = manager;
        this.clock = clock;
        this.current = new AtomicReference<>(lease);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-heartbeat-" + lease.name());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, ttl.toMillis() / 3);
        timer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** Acquires the lease and starts renewing it. Throws {@link LeaseHeldException} if it is taken. */
    public static LeaseKeeper acquire(LeaseManager manager, String name, String holder, Duration ttl, Clock clock) {
        return new LeaseKeeper(manager, manager.acquire(name, holder, ttl), ttl, clock);
    }

    public Lease lease() {
        return current.get();
    }

    public long token() {
        return current.get().token();
    }

    /** Throws {@link LeaseLostException} if a renewal failed or the lease has run out. */
    public void ensureHeld() {
        RuntimeException f = failure.get();
        Lease lease = current.get();
        if (f != null) {
            throw f instanceof LeaseLostException lost ? lost
                    : new LeaseLostException(lease.name(), lease.token(), "renewal failed: " + f.getMessage(), f);
        }
        if (!clock.instant().isBefore(lease.expiresAt())) {
            throw new LeaseLostException(lease.name(), lease.token(), "expired at " + lease.expiresAt());
        }
    }

    private void renew() {
        if (failure.get() != null) {
            return;
        }
        try {
            current.set(manager.renew(current.get()));
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Stops renewing and releases the lease (best effort: an expired lease frees itself). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            manager.release(current.get());
        } catch (RuntimeException ignored) {
            // The lease expires on its own; a failed release must not hide the job's own outcome.
        }
    }
}
