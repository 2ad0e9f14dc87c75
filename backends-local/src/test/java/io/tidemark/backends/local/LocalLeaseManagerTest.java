package io.tidemark.backends.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.fixtures.contract.LeaseManagerContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLeaseManagerTest extends LeaseManagerContract {
    @TempDir
    Path dir;

    @Override
    protected LeaseManager newManager() {
        return new LocalLeaseManager(dir);
    }

    @Override
    protected LeaseManager managerWithLostState() {
        return new LocalLeaseManager(dir.resolve("recreated"));
    }

    @Test
    void tokens_surviveANewManagerOnTheSameFolder_evenWithTheClockStill() {
        java.time.Clock still = java.time.Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.time.ZoneOffset.UTC);
        Lease first = new LocalLeaseManager(dir, still).acquire("snapshot-leader", "a", Duration.ofSeconds(5));
        new LocalLeaseManager(dir, still).release(first);
        Lease second = new LocalLeaseManager(dir, still).acquire("snapshot-leader", "b", Duration.ofSeconds(5));
        assertThat(second.token()).isEqualTo(first.token() + 1);
    }

    @Test
    void aProcessStoppedWhileHoldingTheFolderLock_doesNotWedgeOthers() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        // Another process holds the POSIX lock Java's FileChannel.lock takes, and never lets go.
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl,sys,time\n"
                + "f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
                dir.resolve(".lock").toString()).redirectErrorStream(true).start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine())
                    .isEqualTo("locked");
            long t0 = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LocalLeaseManager(dir)
                    .acquire("snapshot-leader", "a", Duration.ofSeconds(5)))
                    .hasMessageContaining(dir.resolve(".lock").toString()).hasMessageContaining("does not let go");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
