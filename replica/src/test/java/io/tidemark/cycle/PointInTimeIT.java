package io.tidemark.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.cli.CliRun;
import io.tidemark.core.build.BuildResult;
import io.tidemark.core.restore.DatabaseDigest;
import io.tidemark.core.restore.PointInTime;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Restores to a sequence or a time between snapshots equal what a replica held at that point. */
class PointInTimeIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    @Test
    void toASequenceOrATime_betweenSnapshots_equalsAReplicaAtThatPoint() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 91, 100_000)) {
            String stream = h.cluster.streamName(1);
            h.seed();
            h.publish(3_000);
            assertThat(h.build().outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            h.publish(700);
            Map<String, DatabaseDigest.TableDigest> atPoint = h.restoreAndCatchUp("at-point");
            Thread.sleep(1_100);
            Instant between = Instant.now();
            Thread.sleep(1_100);
            h.publish(900);
            assertThat(h.build().outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            h.publish(100);

            Path bySeq = h.dir.resolve("pit/by-seq.db");
            PointInTime.Restored r = PointInTime.restore(h.store, h.source, h.cluster,
                    PointInTime.Point.sequences(Map.of(stream, 3_700L)), bySeq, Progress.NONE);
            assertThat(r.positions()).containsEntry(stream, 3_700L);
            assertThat(r.replayed()).isEqualTo(700);
            assertThat(ClusterHarness.digest(bySeq)).isEqualTo(atPoint);

            // The same point by time, through the CLI.
            Path byTime = h.dir.resolve("pit/by-time.db");
            CliRun cli = CliRun.of("snapshot", "restore", "--at", between.toString(), "--to", byTime.toString(),
                    "--nats-url", nats.url(), "--stream-prefix", h.cluster.streamPrefix(), "--subject-prefix",
                    h.cluster.subjectPrefix(), "--compress", "false", "--max-entries", "100000",
                    "--store", h.dir.resolve("store").toString(), "--work-dir", h.dir.resolve("work-cli").toString());
            assertThat(cli.code()).as(cli.out() + cli.err()).isZero();
            assertThat(cli.out()).contains("plus 700 changes");
            assertThat(ClusterHarness.digest(byTime)).isEqualTo(atPoint);
            assertThat(byTime.resolveSibling("seq-map.cbor")).exists();

            // Before every snapshot: named, nothing written.
            Path none = h.dir.resolve("pit/none.db");
            assertThatThrownBy(() -> PointInTime.restore(h.store, h.source, h.cluster,
                    PointInTime.Point.at(Instant.parse("2020-01-01T00:00:00Z")), none, Progress.NONE))
                    .hasMessageContaining("no snapshot").hasMessageContaining("the oldest is");
            assertThat(none).doesNotExist();
        }
    }

    @Test
    void aPointTheStreamNoLongerHolds_namesTheClosestSnapshot_andLeavesTheTarget() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 92, 500)) {
            String stream = h.cluster.streamName(1);
            h.seed();
            h.publish(400);
            String first = h.build().snapshotId();
            h.publish(400);
            h.build();
            h.publish(400); // the stream (500) now starts past the first snapshot's position
            Path target = h.dir.resolve("pit/target.db");
            Files.createDirectories(target.getParent());
            Files.writeString(target, "keep me");
            assertThatThrownBy(() -> PointInTime.restore(h.store, h.source, h.cluster,
                    PointInTime.Point.sequences(Map.of(stream, 600L)), target, Progress.NONE))
                    .hasMessageContaining(first).hasMessageContaining("the stream now starts at seq");
            assertThat(Files.readString(target)).isEqualTo("keep me");
        }
    }
}
