package io.tidemark.core.lease;

import java.time.Duration;

/**
 * Grants one holder at a time a named lease with a fencing token that only grows. Safety does not
 * rest on clocks: HEAD refuses a token older than its own (see the builder's commit step).
 */
public interface LeaseManager {
    /**
     * Takes the lease if it is free, expired, or already held by {@code holder}; every grant gets a
     * token greater than any granted before.
     *
     * @throws LeaseHeldException when another holder's lease is still live
     */
    Lease acquire(String name, String holder, Duration ttl);

    /**
     * Extends a lease still held with the same token.
     *
     * @throws LeaseLostException when the lease expired and was taken, or its token changed
     */
    Lease renew(Lease lease);

    /** Gives the lease up if still held with this token; a no-op otherwise. Idempotent. */
    void release(Lease lease);
}
