package io.tidemark.cli;

import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseManager;
import java.time.Duration;
import java.util.function.Supplier;

/** A lease manager made on first use: commands that take no lease never connect to its backend. */
final class LazyLeaseManager implements LeaseManager {
    private final Supplier<LeaseManager> factory;
    private LeaseManager delegate;

    LazyLeaseManager(Supplier<LeaseManager> factory) {
        this.factory = factory;
    }

    private synchronized LeaseManager delegate() {
        if (delegate == null) {
            delegate = factory.get();
        }
        return delegate;
    }

    @Override
    public Lease acquire(String name, String holder, Duration ttl) {
        return delegate().acquire(name, holder, ttl);
    }

    @Override
    public Lease renew(Lease lease) {
        return delegate().renew(lease);
    }

    @Override
    public void release(Lease lease) {
        delegate().release(lease);
    }
}
