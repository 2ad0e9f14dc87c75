package io.tidemark.backends.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.tidemark.core.change.ChangeCodec;
import io.tidemark.core.change.ChangeMessage;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JetStreamChangeSourceIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    @Test
    void readsEveryMessageInOrder_fromAStartSequence() throws Exception {
        ClusterConfig cluster = ClusterConfig.defaults().withPrefixes("order", "order-change").withCompressed(false).withShards(2)
                .withMaxEntries(100_000);
        try (Connection nc = nats.connect(); ChangeSource source = new JetStreamChangeSource(nc, cluster, false)) {
            WorkloadGenerator gen = new WorkloadGenerator(cluster, 1);
            WorkloadPublisher.publish(nc, cluster, gen::next, 3_000);
            long total = 0;
            for (String stream : source.streams()) {
                StreamState st = source.state(stream);
                assertThat(st.firstSeq()).isEqualTo(1);
                assertThat(st.maxMsgs()).isEqualTo(100_000);
                total += st.lastSeq();
                List<Long> seqs = new ArrayList<>();
                try (ChangeSource.Cursor c = source.open(stream, 10)) {
                    while (seqs.size() < st.lastSeq() - 9) {
                        for (ChangeMessage m : c.next(500, Duration.ofSeconds(2))) {
                            seqs.add(m.seq());
                            assertThat(ChangeCodec.decode(m.data(), false).table()).isNotBlank();
                        }
                    }
                    assertThat(c.next(10, Duration.ofMillis(100))).isEmpty();
                }
                assertThat(seqs.get(0)).isEqualTo(10);
                for (int i = 1; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
                }
            }
            assertThat(total).isEqualTo(3_000);
        }
    }

    @Test
    void boundedStream_reportsTheAgedOutHead() throws Exception {
        ClusterConfig cluster = ClusterConfig.defaults().withPrefixes("bounded", "bounded-change").withCompressed(false).withMaxEntries(100);
        try (Connection nc = nats.connect(); ChangeSource source = new JetStreamChangeSource(nc, cluster, false)) {
            WorkloadPublisher.publish(nc, cluster, new WorkloadGenerator(cluster, 2)::next, 250);
            StreamState st = source.state("bounded-1");
            assertThat(st.firstSeq()).isEqualTo(151);
            assertThat(st.lastSeq()).isEqualTo(250);
            assertThat(st.hasGapAfter(100)).isTrue();
            assertThat(st.hasGapAfter(150)).isFalse();
            try (ChangeSource.Cursor c = source.open("bounded-1", 5)) {
                assertThat(c.next(1, Duration.ofSeconds(2))).extracting(ChangeMessage::seq).containsExactly(151L);
            }
        }
    }

    @Test
    void missingStream_errorNamesTheStreamAndTheSettings() throws Exception {
        ClusterConfig cluster = ClusterConfig.defaults().withPrefixes("absent", "absent-change").withCompressed(false);
        try (Connection nc = nats.connect(); ChangeSource source = new JetStreamChangeSource(nc, cluster, false)) {
            assertThatThrownBy(() -> source.state("absent-1")).hasMessageContaining("stream absent-1 does not exist")
                    .hasMessageContaining("stream_prefix");
        }
    }
}
