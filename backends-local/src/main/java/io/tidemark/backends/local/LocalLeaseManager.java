package io.tidemark.backends.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseHeldException;
import io.tidemark.core.lease.LeaseLostException;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.snapshot.Durable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Leases as small JSON files in a folder, for the embedded default: one file per lease name holding
 * holder, token and expiry, changed only under a folder lock, so threads and processes on one host
 * see one holder at a time. The file outlives a release so tokens keep growing.
 */
public final class LocalLeaseManager implements LeaseManager {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Clock clock;
    private final FolderLock lock;

    public LocalLeaseManager(Path dir, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.clock = clock;
        this.lock = new FolderLock(this.dir);
    }

    public LocalLeaseManager(Path dir) {
        this(dir, Clock.systemUTC());
    }

    /** ttlMillis is kept so a renewal extends by the ttl the lease was granted with. */
    record State(String holder, long token, long expiresAt, long ttlMillis) {}

    @Override
    public Lease acquire(String name, String holder, Duration ttl) {
        return lock.with(() -> {
            State s = load(name);
            long now = clock.millis();
            if (s != null && s.expiresAt() > now && !s.holder().equals(holder)) {
                throw new LeaseHeldException(name, s.holder(), Instant.ofEpochMilli(s.expiresAt()));
            }
            // Tokens start from the clock, as DynamoDB's do: a lost lease folder cannot restart them below
            // a token HEAD already carries (which would have every later build refused at HEAD).
            State next = new State(holder, Math.max((s == null ? 0 : s.token()) + 1, now), now + ttl.toMillis(),
                    ttl.toMillis());
            save(name, next);
            return new Lease(name, holder, next.token(), Instant.ofEpochMilli(next.expiresAt()));
        });
    }

    @Override
    public Lease renew(Lease lease) {
        return lock.with(() -> {
            State s = load(lease.name());
            long now = clock.millis();
            if (s == null || s.token() != lease.token() || !s.holder().equals(lease.holder()) || s.expiresAt() <= now) {
                throw new LeaseLostException(lease.name(), lease.token(), s == null ? "no lease file"
                        : s.token() != lease.token() ? "taken over by " + s.holder() + " with token " + s.token()
                        : "expired");
            }
            State next = new State(s.holder(), s.token(), now + s.ttlMillis(), s.ttlMillis());
            save(lease.name(), next);
            return new Lease(lease.name(), lease.holder(), s.token(), Instant.ofEpochMilli(next.expiresAt()));
        });
    }

    @Override
    public void release(Lease lease) {
        lock.with(() -> {
            State s = load(lease.name());
            if (s != null && s.token() == lease.token() && s.holder().equals(lease.holder())) {
                save(lease.name(), new State(s.holder(), s.token(), 0, s.ttlMillis()));
            }
            return null;
        });
    }

    private Path file(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("lease name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        return dir.resolve(name + ".lease.json");
    }

    private State load(String name) {
        try {
            return JSON.readValue(Files.readAllBytes(file(name)), State.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("lease file " + file(name) + " is unreadable", e);
        }
    }

    private void save(String name, State s) {
        Path target = file(name);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.write(tmp, JSON.writeValueAsBytes(s));
            Durable.replace(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write lease file " + target, e);
        }
    }
}
