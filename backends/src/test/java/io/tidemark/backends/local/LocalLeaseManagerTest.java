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

    @Test
    void tokens_surviveANewManagerOnTheSameFolder() {
        Lease first = new LocalLeaseManager(dir).acquire("snapshot-leader", "a", Duration.ofSeconds(5));
        new LocalLeaseManager(dir).release(first);
        Lease second = new LocalLeaseManager(dir).acquire("snapshot-leader", "b", Duration.ofSeconds(5));
        assertThat(second.token()).isEqualTo(first.token() + 1);
    }
}
