package io.tidemark.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.BuildStep;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseLostException;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One builder at a time, and a builder that lost its lease cannot move HEAD. */
class FencingIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    @Test
    void builderThatLostItsLease_stopsBeforeHead_andTheNewHoldersHeadStays() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 51)) {
            h.seed();
            h.publish(1_000);
            LeaseManager real = h.leases;
            java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
            LeaseManager partitioned = new LeaseManager() { // renewals cannot get through
                public Lease acquire(String n, String holder, Duration ttl) {
                    return real.acquire(n, holder, ttl);
                }

                public Lease renew(Lease l) {
                    if (cut.get()) {
                        throw new LeaseLostException(l.name(), l.token(), "network partition");
                    }
                    return real.renew(l);
                }

                public void release(Lease l) {
                    real.release(l);
                }
            };
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            h.leases = partitioned;
            var stale = h.builder(step -> {
                if (step == BuildStep.WRITTEN) {
                    cut.set(true); // the partition starts now: renewals fail, the lease runs out
                    paused.countDown();
                    try {
                        resume.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, Duration.ofMillis(600));
            CompletableFuture<BuildResult> first = CompletableFuture.supplyAsync(() -> stale.build(Trigger.SCHEDULE, false));
            assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();

            h.leases = real;
            assertThat(h.build().outcome()).isEqualTo(BuildResult.Outcome.LEASE_HELD);
            Thread.sleep(800); // the stale builder's lease runs out
            BuildResult winner = h.build();
            assertThat(winner.outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            Head afterWinner = Catalog.requireHead(h.store).head();

            resume.countDown();
            BuildResult loser = first.get(30, TimeUnit.SECONDS);
            assertThat(loser.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(loser.message()).contains("lost");
            assertThat(Catalog.requireHead(h.store).head()).isEqualTo(afterWinner);
        }
    }

    @Test
    void staleTokenAtHead_isRefused_evenWithAValidLease() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 52)) {
            h.seed();
            h.publish(100);
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            // The stale builder keeps renewing, but a rollback (fresh token) moves HEAD meanwhile.
            var slow = h.builder(step -> {
                if (step == BuildStep.MANIFEST_UPLOADED) {
                    paused.countDown();
                    try {
                        resume.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, Duration.ofSeconds(1));
            String seedId = Catalog.requireHead(h.store).head().snapshot();
            CompletableFuture<BuildResult> first = CompletableFuture.supplyAsync(() -> slow.build(Trigger.MANUAL, false));
            assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
            // Simulate a newer leader: write HEAD with a larger token than the slow builder holds.
            Head now = Catalog.requireHead(h.store).head();
            Head newer = new Head(now.snapshot(), now.manifestSha256(), now.leaseToken() + 3_600_000, now.updatedAt());
            // Tokens come from the clock (ms): an hour ahead is newer than any token this build took.
            var versioned = Catalog.requireHead(h.store);
            h.store.compareAndSet("HEAD.json", io.tidemark.core.manifest.ManifestCodec.write(newer), versioned.version());
            resume.countDown();
            BuildResult r = first.get(30, TimeUnit.SECONDS);
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(r.message()).contains("newer than ours");
            assertThat(Catalog.requireHead(h.store).head().snapshot()).isEqualTo(seedId);
        }
    }

    @Test
    void headWithATokenAboveTheLease_isRefusedBeforeAnyReplayOrUpload() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 53)) {
            h.seed();
            h.publish(100);
            Head now = Catalog.requireHead(h.store).head();
            // As if HEAD had been moved under a lease store that is gone (or by hand): a token far ahead.
            Head ahead = new Head(now.snapshot(), now.manifestSha256(), Long.MAX_VALUE / 2, now.updatedAt());
            h.store.compareAndSet("HEAD.json", io.tidemark.core.manifest.ManifestCodec.write(ahead),
                    Catalog.requireHead(h.store).version());
            java.util.List<BuildStep> reached = new java.util.ArrayList<>();
            BuildResult r = h.builder(reached::add, Duration.ofSeconds(10)).build(Trigger.MANUAL, true);
            assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(r.message()).contains("above this lease's").contains(now.snapshot());
            assertThat(reached).doesNotContain(BuildStep.BASE_FETCHED, BuildStep.DATABASE_UPLOADED);
            assertThat(h.store.list("snapshots/")).allMatch(k -> k.contains(now.snapshot()));
        }
    }
}
