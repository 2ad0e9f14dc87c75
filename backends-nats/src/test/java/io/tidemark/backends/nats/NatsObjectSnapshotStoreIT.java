package io.tidemark.backends.nats;

import io.nats.client.Connection;
import io.tidemark.backends.natsobject.NatsObjects;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class NatsObjectSnapshotStoreIT extends SnapshotStoreContract {
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
    protected SnapshotStore newStore() {
        return NatsObjects.store(nc, "snap-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
