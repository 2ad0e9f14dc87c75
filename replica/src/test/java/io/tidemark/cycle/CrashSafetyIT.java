package io.tidemark.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.BuildStep;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.restore.Verifier;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A build killed after each step leaves HEAD on a valid snapshot, and the next build succeeds. The
 * "kill" is an Error thrown from the step listener with a lease manager that, like a dead process,
 * never releases: the next build must wait out the lease.
 */
class CrashSafetyIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    /** Stands in for process death. */
    static final class Killed extends Error {
        Killed(BuildStep step) {
            super("killed after " + step);
        }
    }

    @ParameterizedTest
    @EnumSource(BuildStep.class)
    void killedAfterStep_headStaysValid_andNextBuildSucceeds(BuildStep step) throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 2, false, 40 + step.ordinal())) {
            h.seed();
            h.publish(20_000);
            assertThat(h.build().outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            h.publish(100); // few changes on a larger database: the killed build stores a page set
            Head before = Catalog.requireHead(h.store).head();
            LeaseManager real = h.leases;
            h.leases = new LeaseManager() { // a dead process releases nothing
                public Lease acquire(String n, String holder, Duration ttl) {
                    return real.acquire(n, holder, ttl);
                }

                public Lease renew(Lease l) {
                    return real.renew(l);
                }

                public void release(Lease l) { }
            };
            Duration ttl = Duration.ofMillis(1_000);
            assertThatThrownBy(() -> h.builder(s -> {
                if (s == step) {
                    throw new Killed(s);
                }
            }, ttl).build(Trigger.SCHEDULE, false)).isInstanceOf(Killed.class);

            Head after = Catalog.requireHead(h.store).head();
            boolean moved = step.compareTo(BuildStep.HEAD_MOVED) >= 0;
            assertThat(after.snapshot().equals(before.snapshot())).isEqualTo(!moved);
            if (moved) {
                assertThat(Catalog.headManifest(h.store, after).manifest().chain()).hasSize(2);
            }
            assertThat(Verifier.verifyHead(h.store, h.dir.resolve("verify")).ok()).isTrue();

            h.leases = real;
            BuildResult held = h.build();
            assertThat(held.outcome()).isEqualTo(BuildResult.Outcome.LEASE_HELD);
            Thread.sleep(ttl.toMillis() + 200);
            h.publish(200);
            BuildResult next = h.build();
            assertThat(next.outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            assertThat(next.changesApplied()).isEqualTo(moved ? 200 : 300);
            assertThat(Verifier.verifyHead(h.store, h.dir.resolve("verify")).ok()).isTrue();
            assertThat(h.restoreAndCatchUp("restored")).isEqualTo(h.fullReplay("full"));
        }
    }
}
