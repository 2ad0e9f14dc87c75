package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command, {@code tidemark demo}, run as a user runs it (smaller rounds): its own
 * nats-server, two builds, a restored replica compared row for row with a full replay.
 */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void theDemo_runsTheWholeCycle_andTheRestoredReplicaEqualsTheFullReplay() throws Exception {
        Path demo = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--changes", "3000", "--dir", demo.toString());

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("4. build: created", "6. incremental build: created",
                "8. fresh replica: NO_DATABASE -> restored HEAD, replayed 600 changes", "10. HEAD verify: ok",
                "RESULT: restored replica equals the full replay, row for row");
        assertThat(r.out()).doesNotContain("DIFFERS");
        assertThat(demo.resolve("restored/replica.db")).exists();
        assertThat(Files.list(demo).map(p -> p.getFileName().toString())).contains("restored", "full");
    }
}
