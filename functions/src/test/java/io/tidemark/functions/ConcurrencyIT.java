package io.tidemark.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.BuildStep;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseLostException;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.fixtures.aws.DynamoDbLocalExtension;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One builder at a time, on the DynamoDB lease. Race safety of HEAD is proven on an atomic store (a
 * local folder), because S3 emulators do not make conditional writes atomic under races.
 */
class ConcurrencyIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();
    @RegisterExtension
    static DynamoDbLocalExtension ddb = new DynamoDbLocalExtension();
    @RegisterExtension
    static RecordingHttpEndpoint events = RecordingHttpEndpoint.eventBridge();
    @RegisterExtension
    static RecordingHttpEndpoint lambda = RecordingHttpEndpoint.lambda();

    private static SnapshotBuilder builder(AwsHarness h, SnapshotStore store, LeaseManager leases, String holder,
                                           io.tidemark.core.build.BuildListener listener, Duration ttl) {
        return new SnapshotBuilder(h.config.cluster(), h.wiring.source(), store, leases, EventPublisher.NONE,
                BuildOptions.builder(h.work).holder(holder).leaseTtl(ttl).listener(listener).build());
    }

    @Test
    void twoBuildsAtOnce_oneBuilds_theOtherReportsTheLeaseHeld() throws Exception {
        try (AwsHarness h = new AwsHarness(nats, s3, ddb, events, lambda, Map.of())) {
            h.publish(1_000);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            BuildHandler first = new BuildHandler(() -> builder(h, h.store, h.leases, "lambda-a", step -> {
                if (step == BuildStep.LEASE_TAKEN) {
                    holding.countDown();
                    await(release);
                }
            }, Duration.ofSeconds(10)), h.config.cluster().cluster(), (c, m) -> { });
            BuildHandler second = new BuildHandler(() -> builder(h, h.store, h.leases, "lambda-b",
                    io.tidemark.core.build.BuildListener.NONE, Duration.ofSeconds(10)), h.config.cluster().cluster(),
                    (c, m) -> { });
            CompletableFuture<Map<String, Object>> a = CompletableFuture.supplyAsync(() ->
                    first.handleRequest(Map.of("trigger", "manual"), null));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            Map<String, Object> b = second.handleRequest(Map.of("trigger", "manual"), null);
            release.countDown();
            assertThat(b).containsEntry("outcome", "lease-held");
            assertThat((String) b.get("message")).contains("lambda-a");
            assertThat(a.get(60, TimeUnit.SECONDS)).containsEntry("outcome", "created");
        }
    }

    @Test
    void staleHolderWhoseLeaseWasTakenOver_cannotMoveHead() throws Exception {
        try (AwsHarness h = new AwsHarness(nats, s3, ddb, events, lambda, Map.of())) {
            h.publish(500);
            // Atomic store for the race: a local folder seeded from the S3 HEAD's contents.
            LocalFolderSnapshotStore atomic = new LocalFolderSnapshotStore(h.work.resolve("atomic"));
            new io.tidemark.core.build.Publisher(h.config.cluster(), atomic, h.leases,
                    BuildOptions.builder(h.work).holder("seeder").build())
                    .seedFromSchema(io.tidemark.fixtures.workload.WorkloadSchema.SQL);
            java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
            LeaseManager partitioned = new LeaseManager() { // renewals never reach DynamoDB
                public Lease acquire(String n, String holder, Duration ttl) {
                    return h.leases.acquire(n, holder, ttl);
                }

                public Lease renew(Lease l) {
                    if (cut.get()) {
                        throw new LeaseLostException(l.name(), l.token(), "network partition");
                    }
                    return h.leases.renew(l);
                }

                public void release(Lease l) {
                    h.leases.release(l);
                }
            };
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            CompletableFuture<BuildResult> stale = CompletableFuture.supplyAsync(() -> builder(h, atomic, partitioned,
                    "stale", step -> {
                        if (step == BuildStep.WRITTEN) {
                            cut.set(true); // the partition starts now: renewals fail, the lease runs out
                            paused.countDown();
                            await(resume);
                        }
                    }, Duration.ofMillis(700)).build(Trigger.SCHEDULE, false));
            assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(900); // the stale holder's lease expires in DynamoDB
            BuildResult fresh = builder(h, atomic, h.leases, "fresh", io.tidemark.core.build.BuildListener.NONE,
                    Duration.ofSeconds(10)).build(Trigger.MANUAL, false);
            assertThat(fresh.outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            Head winner = Catalog.requireHead(atomic).head();
            resume.countDown();
            BuildResult loser = stale.get(60, TimeUnit.SECONDS);
            assertThat(loser.outcome()).isEqualTo(BuildResult.Outcome.FAILED);
            assertThat(loser.message()).contains("lost");
            assertThat(Catalog.requireHead(atomic).head()).isEqualTo(winner);
            assertThat(winner.leaseToken()).isGreaterThan(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
