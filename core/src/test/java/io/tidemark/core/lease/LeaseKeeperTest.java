package io.tidemark.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {
    /** A seam fake: grants once, renews until told to fail. */
    static final class FlakyManager implements LeaseManager {
        final AtomicInteger renewals = new AtomicInteger();
        volatile boolean fail;
        volatile boolean released;

        public Lease acquire(String name, String holder, Duration ttl) {
            return new Lease(name, holder, 5, Instant.now().plus(ttl));
        }

        public Lease renew(Lease l) {
            renewals.incrementAndGet();
            if (fail) {
                throw new LeaseLostException(l.name(), l.token(), "taken over");
            }
            return new Lease(l.name(), l.holder(), l.token(), Instant.now().plusMillis(600));
        }

        public void release(Lease l) {
            released = true;
        }
    }

    @Test
    void renewsInTheBackground_andReportsALostLease() throws Exception {
        FlakyManager m = new FlakyManager();
        try (LeaseKeeper k = LeaseKeeper.acquire(m, "snapshot-leader", "me", Duration.ofMillis(600), Clock.systemUTC())) {
            Thread.sleep(700);
            assertThat(m.renewals.get()).isGreaterThanOrEqualTo(2);
            k.ensureHeld();
            m.fail = true;
            Thread.sleep(450);
            assertThatThrownBy(k::ensureHeld).isInstanceOf(LeaseLostException.class).hasMessageContaining("taken over");
        }
        assertThat(m.released).isTrue();
    }
}
