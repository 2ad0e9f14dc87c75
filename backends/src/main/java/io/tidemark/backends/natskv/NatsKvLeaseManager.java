package io.tidemark.backends.natskv;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.tidemark.core.change.Cbor;
import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseHeldException;
import io.tidemark.core.lease.LeaseLostException;
import io.tidemark.core.lease.LeaseManager;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases as keys of a NATS KV bucket, HarmonyLite's way: key {@code snapshot-leader}, value a CBOR
 * map with HarmonyLite's {@code NodeID} and {@code Timestamp} (so HarmonyLite nodes sharing the
 * bucket see Tidemark's lease as held) plus Tidemark's holder, ttl and token. Every write is a
 * compare-and-set on the revision read. The token is the revision of the grant, which only grows.
 */
public final class NatsKvLeaseManager implements LeaseManager {
    private static final Logger LOG = LoggerFactory.getLogger(NatsKvLeaseManager.class);
    static final int WRONG_LAST_SEQUENCE = 10071;

    private final KeyValue kv;
    private final long nodeId;
    private final Clock clock;

    /**
     * @param kv the cluster's KV bucket (see {@link NatsKv#bucket})
     * @param nodeId written as HarmonyLite's NodeID; use one no HarmonyLite node has
     */
    public NatsKvLeaseManager(KeyValue kv, long nodeId, Clock clock) {
        this.kv = kv;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** A lease value as stored. HarmonyLite writes only NodeID and Timestamp; its ttl is then ours. */
    private record Value(long nodeId, long timestamp, String holder, long ttlMillis, long token) {
        long expiresAt(long fallbackTtl) {
            return timestamp + (ttlMillis > 0 ? ttlMillis : fallbackTtl);
        }

        byte[] encode() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("NodeID", nodeId);
            m.put("Timestamp", timestamp);
            m.put("Holder", holder);
            m.put("TtlMillis", ttlMillis);
            m.put("Token", token);
            return Cbor.encode(m);
        }

        static Value decode(byte[] data) {
            if (!(Cbor.decode(data) instanceof Map<?, ?> m)) {
                throw new IllegalStateException("lease value is not a CBOR map");
            }
            long node = m.get("NodeID") instanceof Long l ? l : 0;
            long ts = m.get("Timestamp") instanceof Long l ? l : 0;
            String holder = m.get("Holder") instanceof String s ? s : "harmonylite-node-" + node;
            return new Value(node, ts, holder, m.get("TtlMillis") instanceof Long l ? l : 0,
                    m.get("Token") instanceof Long l ? l : 0);
        }
    }

    @Override
    public Lease acquire(String name, String holder, Duration ttl) {
        long now = clock.millis();
        try {
            KeyValueEntry entry = kv.get(name);
            long granted;
            Value fresh = new Value(nodeId, now, holder, ttl.toMillis(), 0);
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                granted = entry == null ? kv.create(name, fresh.encode()) : kv.update(name, fresh.encode(), entry.getRevision());
            } else {
                Value v = Value.decode(entry.getValue());
                if (!v.holder().equals(holder) && v.expiresAt(ttl.toMillis()) > now) {
                    throw new LeaseHeldException(name, v.holder(), Instant.ofEpochMilli(v.expiresAt(ttl.toMillis())));
                }
                granted = kv.update(name, fresh.encode(), entry.getRevision());
            }
            // Record the grant's revision as the token, with a CAS on that very revision.
            Value stamped = new Value(nodeId, now, holder, ttl.toMillis(), granted);
            kv.update(name, stamped.encode(), granted);
            LOG.debug("lease {} granted to {} with token {}", name, holder, granted);
            return new Lease(name, holder, granted, Instant.ofEpochMilli(now + ttl.toMillis()));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                throw new LeaseHeldException(name, "another holder (lost the race)", Instant.ofEpochMilli(now));
            }
            throw new IllegalStateException("NATS KV error " + e.getApiErrorCode() + " on lease " + name, e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach NATS KV for lease " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Lease renew(Lease lease) {
        long now = clock.millis();
        try {
            KeyValueEntry entry = kv.get(lease.name());
            Value v = entry == null || entry.getOperation() != KeyValueOperation.PUT ? null : Value.decode(entry.getValue());
            if (v == null || v.token() != lease.token() || !v.holder().equals(lease.holder())) {
                throw new LeaseLostException(lease.name(), lease.token(), v == null ? "the lease key is gone"
                        : "now held by " + v.holder() + " with token " + v.token());
            }
            if (v.expiresAt(0) <= now) {
                throw new LeaseLostException(lease.name(), lease.token(), "expired");
            }
            kv.update(lease.name(), new Value(nodeId, now, v.holder(), v.ttlMillis(), v.token()).encode(),
                    entry.getRevision());
            return new Lease(lease.name(), lease.holder(), lease.token(), Instant.ofEpochMilli(now + v.ttlMillis()));
        } catch (JetStreamApiException e) {
            throw new LeaseLostException(lease.name(), lease.token(), "changed while renewing (NATS error "
                    + e.getApiErrorCode() + ")", e);
        } catch (IOException e) {
            throw new LeaseLostException(lease.name(), lease.token(), "NATS unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Lease lease) {
        try {
            KeyValueEntry entry = kv.get(lease.name());
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                return;
            }
            Value v = Value.decode(entry.getValue());
            if (v.token() == lease.token() && v.holder().equals(lease.holder())) {
                // Keep the key (not delete) so the next grant's revision, the token, keeps growing.
                kv.update(lease.name(), new Value(nodeId, 0, v.holder(), v.ttlMillis(), v.token()).encode(),
                        entry.getRevision());
            }
        } catch (JetStreamApiException | IOException e) {
            LOG.debug("release of lease {} token {} failed; it expires by itself", lease.name(), lease.token(), e);
        }
    }
}
