package io.tidemark.backends.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import io.tidemark.backends.natsobject.NatsObjects;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

    @Test
    void removeAbandoned_purgesChunksNoObjectNames_onceOlderThanTheCutoff_andKeepsEveryObjectWhole() throws Exception {
        String bucket = "snap-" + UUID.randomUUID().toString().substring(0, 8);
        SnapshotStore store = NatsObjects.store(nc, bucket);
        byte[] kept = new byte[300_000];
        new java.util.Random(4).nextBytes(kept);
        store.putIfAbsent("snapshots/a/db.sqlite.zst", new ByteArrayInputStream(kept), kept.length);
        // What a put killed before its metadata leaves: chunks under a nuid no object names.
        String orphan = "$O." + bucket + ".C.KILLEDPUT" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        for (int i = 0; i < 3; i++) {
            nc.jetStream().publish(orphan, new byte[128 * 1024]);
        }
        assertThat(chunkSubjects(bucket)).contains(orphan).hasSize(2);

        assertThat(store.removeAbandoned(Instant.now().minusSeconds(3600))).isZero(); // too young: a put may be under way
        assertThat(chunkSubjects(bucket)).contains(orphan);
        assertThat(store.removeAbandoned(Instant.now().plusSeconds(1))).isEqualTo(1);

        assertThat(chunkSubjects(bucket)).doesNotContain(orphan).hasSize(1);
        try (InputStream in = store.open("snapshots/a/db.sqlite.zst")) {
            assertThat(in.readAllBytes()).isEqualTo(kept);
        }
    }

    private static List<String> chunkSubjects(String bucket) throws Exception {
        var subjects = nc.jetStreamManagement().getStreamInfo("OBJ_" + bucket,
                StreamInfoOptions.filterSubjects("$O." + bucket + ".C.>")).getStreamState().getSubjects();
        return subjects == null ? List.of() : subjects.stream().map(Subject::getName).toList();
    }
}
