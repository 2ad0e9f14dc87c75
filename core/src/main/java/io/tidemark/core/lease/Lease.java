package io.tidemark.core.lease;

import java.time.Instant;

/** A granted lease. {@code token} fences: a newer grant always has a larger one. */
public record Lease(String name, String holder, long token, Instant expiresAt) {}
