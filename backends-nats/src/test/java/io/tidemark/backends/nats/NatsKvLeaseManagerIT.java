package io.tidemark.backends.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.tidemark.backends.natskv.NatsKv;
import io.tidemark.backends.natskv.NatsKvLeaseManager;
import io.tidemark.core.change.Cbor;
import io.tidemark.core.lease.LeaseHeldException;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.fixtures.contract.LeaseManagerContract;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NatsKvLeaseManagerIT extends LeaseManagerContract {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();
    static Connection nc;

    @BeforeAll
    static void connect() {
        nc = nats.connect();
    }

    @AfterAll
    static void close() throws InterruptedException {
        nc.close();
    }

    @Override
    protected LeaseManager newManager() {
        return new NatsKvLeaseManager(NatsKv.bucket(nc, "kv-" + UUID.randomUUID().toString().substring(0, 8)),
                Clock.systemUTC());
    }

    @Test
    void aHarmonyLiteNodesLease_isRespected() throws Exception {
        KeyValue kv = NatsKv.bucket(nc, "hl-" + UUID.randomUUID().toString().substring(0, 8));
        kv.put("snapshot-leader", Cbor.encode(Map.of("NodeID", 2L, "Timestamp", System.currentTimeMillis())));
        LeaseManager m = new NatsKvLeaseManager(kv, Clock.systemUTC());
        assertThatThrownBy(() -> m.acquire("snapshot-leader", "tidemark", Duration.ofSeconds(30)))
                .isInstanceOf(LeaseHeldException.class).hasMessageContaining("harmonylite-node-2");
        var lease = m.acquire("snapshot-leader", "tidemark", Duration.ofMillis(1)); // HL's lease is older than 1 ms now
        Object stored = Cbor.decode(kv.get("snapshot-leader").getValue());
        @SuppressWarnings("unchecked")
        Map<Object, Object> value = (Map<Object, Object>) stored;
        assertThat(value).containsEntry("NodeID", NatsKvLeaseManager.nodeIdFor("tidemark"))
                .containsEntry("Token", lease.token());
    }

    @Test
    void holders_getDistinctPositiveNodeIds_soNoNodeMistakesTheLeaseForItsOwn() {
        long a = NatsKvLeaseManager.nodeIdFor("lambda/1");
        long b = NatsKvLeaseManager.nodeIdFor("lambda/2");
        assertThat(a).isPositive().isNotEqualTo(b);
        assertThat(b).isPositive();
    }
}
