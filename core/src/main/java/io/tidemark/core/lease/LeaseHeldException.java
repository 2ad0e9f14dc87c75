package io.tidemark.core.lease;

import java.time.Instant;

/** The lease is held by someone else until {@code expiresAt}. */
public class LeaseHeldException extends RuntimeException {
    private final String name;
    private final String holder;
    private final Instant expiresAt;

    public LeaseHeldException(String name, String holder, Instant expiresAt) {
        super("lease " + name + " is held by " + holder + " until " + expiresAt);
        this.name = name;
        this.holder = holder;
        this.expiresAt = expiresAt;
    }

    public String name() {
        return name;
    }

    public String holder() {
        return holder;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
