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
 * Leases as keys of a NATS KV bucket, HarmonyLite's way: key {@code snapshot-leader} in bucket
 * {@code e-harmonylite}, value a CBOR map with HarmonyLite's {@code NodeID} and {@code Timestamp}
 * (so HarmonyLite nodes see Tidemark's lease as held) plus Tidemark's holder, ttl and token, which
 * HarmonyLite ignores. A value without a ttl (a node's) expires by the reader's own ttl, as
 * HarmonyLite judges it: give Tidemark the nodes' {@code leader_ttl}. Every write is a
 * compare-and-set on the revision read. Tokens pass the previous token, the grant's revision and
 * the clock, so they only grow, even across a recreated bucket.
 */
public final class NatsKvLeaseManager implements LeaseManager {
    private static final Logger LOG = LoggerFactory.getLogger(NatsKvLeaseManager.class);
    static final int WRONG_LAST_SEQUENCE = 10071;

    private final KeyValue kv;
    private final Clock clock;

    /**
     * @param kv the lease bucket: HarmonyLite's {@code e-harmonylite} beside a HarmonyLite cluster
     *           (see {@link NatsKv#bucket})
     */
    public NatsKvLeaseManager(KeyValue kv, Clock clock) {
        this.kv = kv;
        this.clock = clock;
    }

    /**
     * The HarmonyLite NodeID a Tidemark holder writes: 64-bit FNV-1 of {@code tidemark/<holder>},
     * top bit cleared (Go decodes it into a uint64; a negative CBOR integer would make a node's
     * lease check fail) and never 0. A HarmonyLite node takes over a lease whose NodeID is its own,
     * so each holder needs an id of its own, and none that a node has: node ids come from the same
     * hash of a machine id, so a collision is as unlikely as two machines colliding.
     */
    public static long nodeIdFor(String holder) {
        long h = 0xcbf29ce484222325L;
        for (byte b : ("tidemark/" + holder).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h *= 0x100000001b3L;
            h ^= (b & 0xff);
        }
        long id = h & Long.MAX_VALUE;
        return id == 0 ? 1 : id;
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
            // A node's id is a uint64 and may not fit a long: name it as the node logs it.
            String holder = m.get("Holder") instanceof String s ? s : "harmonylite-node-" + m.get("NodeID");
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
            long nodeId = nodeIdFor(holder);
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
            // The token: past the previous grant's and the clock, so a bucket lost and recreated (its
            // revisions restart at 1) cannot hand out a token below one HEAD carries. Recorded with a
            // CAS on the grant's revision, so two grants never share it.
            long previous = entry == null || entry.getOperation() != KeyValueOperation.PUT ? 0
                    : Value.decode(entry.getValue()).token();
            long token = Math.max(Math.max(previous + 1, granted), now);
            Value stamped = new Value(nodeId, now, holder, ttl.toMillis(), token);
            kv.update(name, stamped.encode(), granted);
            LOG.debug("lease {} granted to {} with token {}", name, holder, token);
            return new Lease(name, holder, token, Instant.ofEpochMilli(now + ttl.toMillis()));
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
            kv.update(lease.name(), new Value(v.nodeId(), now, v.holder(), v.ttlMillis(), v.token()).encode(),
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
                kv.update(lease.name(), new Value(v.nodeId(), 0, v.holder(), v.ttlMillis(), v.token()).encode(),
                        entry.getRevision());
            }
        } catch (JetStreamApiException | IOException e) {
            LOG.debug("release of lease {} token {} failed; it expires by itself", lease.name(), lease.token(), e);
        }
    }
}
