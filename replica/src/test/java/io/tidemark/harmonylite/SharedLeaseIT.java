package io.tidemark.harmonylite;

import static io.tidemark.harmonylite.HarmonyLiteHarness.sleep;
import static io.tidemark.harmonylite.HarmonyLiteHarness.tidemark;
import static io.tidemark.harmonylite.HarmonyLiteHarness.tidemarkOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectInfo;
import io.tidemark.backends.natskv.NatsKv;
import io.tidemark.backends.natskv.NatsKvLeaseManager;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.fixtures.harmonylite.HarmonyLiteNode;
import io.tidemark.fixtures.harmonylite.NodeWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HarmonyLite publishers and Tidemark share one lease, HarmonyLite's {@code snapshot-leader} in
 * {@code e-harmonylite}, and so never upload {@code snapshot.db} at the same time: while a node
 * leads, Tidemark's builds are refused naming the node and leave the store alone; while Tidemark
 * holds the lease, the node neither becomes leader nor uploads. Tidemark runs on the node's own
 * {@code config.toml}, unchanged.
 */
class SharedLeaseIT {
    private static final long TTL = 3000;
    private static final String BUCKET = "harmonylite-changes-snapshot-store";

    @TempDir
    Path dir;

    @Test
    void harmonyLitePublishers_andTidemark_excludeEachOther() throws Exception {
        try (HarmonyLiteHarness h = new HarmonyLiteHarness(dir, 1, true, 10_000);
             Connection nc = Nats.connect(h.nats.url())) {
            HarmonyLiteNode writer = h.startNode(2); // publishes changes, takes no part in snapshots
            HarmonyLiteNode leader = h.startNode(1, false, b -> b.snapshots("nats", null, 1000, TTL));
            awaitLog(leader, "Became snapshot leader", 1);
            new NodeWriter(writer.db(), 3, 0).write(300, 30, 100);
            h.awaitConverged(writer, Duration.ofSeconds(60));
            awaitLog(leader, "Snapshot saved to NATS", 1);

            String config = leader.config().dir().resolve("config.toml").toString();
            String[] flags = {"--config", config, "--work-dir", dir.resolve("work").toString()};
            io.tidemark.cli.CliRun held = tidemark(new String[]{"snapshot", "seed", "--db", writer.db().toString(),
                    "--seq-map", writer.seqMap().toString()}, flags);
            assertThat(held.code()).isEqualTo(4); // lease held: the CLI's own exit code (README, "Exit codes")
            assertThat(held.err()).contains("snapshot-leader").contains("harmonylite-node-1");

            // The leader stops; once its lease is older than the ttl, Tidemark takes it and seeds.
            leader.stop();
            sleep(TTL + 500);
            io.tidemark.cli.CliRun seeded = tidemarkOk(new String[]{"snapshot", "seed", "--db", writer.db().toString(),
                    "--seq-map", writer.seqMap().toString()}, flags);
            assertThat(seeded.out()).contains("boot copy published");
            ObjectInfo ours = snapshotDb(nc);

            // While Tidemark holds the lease, a restarted publisher neither leads nor uploads.
            NatsKvLeaseManager leases = new NatsKvLeaseManager(NatsKv.bucket(nc, "e-harmonylite"), Clock.systemUTC());
            int elected = count(leader, "Became snapshot leader");
            int uploads = count(leader, "Snapshot saved to NATS");
            try (LeaseKeeper keeper = LeaseKeeper.acquire(leases, "snapshot-leader", "tidemark-test",
                    Duration.ofMillis(TTL), Clock.systemUTC())) {
                leader.restart();
                new NodeWriter(writer.db(), 4, 0).write(100, 10, 100);
                sleep(3 * TTL);
                keeper.ensureHeld();
                assertThat(count(leader, "Became snapshot leader")).isEqualTo(elected);
                assertThat(count(leader, "Snapshot saved to NATS")).isEqualTo(uploads);
                assertThat(snapshotDb(nc).getModified()).isEqualTo(ours.getModified());
            }

            // Released: the node leads and uploads, and now Tidemark is the one refused.
            awaitLog(leader, "Became snapshot leader", elected + 1);
            awaitLog(leader, "Snapshot saved to NATS", uploads + 1);
            ObjectInfo theirs = snapshotDb(nc);
            assertThat(theirs.getModified()).isNotEqualTo(ours.getModified());
            io.tidemark.cli.CliRun refused = tidemark(new String[]{"snapshot", "build", "--force"}, flags);
            assertThat(refused.out() + refused.err()).contains("lease-held").contains("harmonylite-node-1");
            assertThat(snapshotDb(nc).getModified()).isEqualTo(theirs.getModified());
        }
    }

    private static ObjectInfo snapshotDb(Connection nc) throws Exception {
        ObjectStore os = nc.objectStore(BUCKET);
        ObjectInfo info = os.getInfo("snapshot.db");
        assertThat(info).as("snapshot.db in " + BUCKET).isNotNull();
        return info;
    }

    private static int count(HarmonyLiteNode node, String line) {
        String log = node.logText();
        int n = 0;
        for (int i = log.indexOf(line); i >= 0; i = log.indexOf(line, i + 1)) {
            n++;
        }
        return n;
    }

    private static void awaitLog(HarmonyLiteNode node, String line, int times) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(node, line) < times) {
            assertThat(System.nanoTime()).as("node %d never logged '%s' %d times:%n%s", node.config().nodeId(), line,
                    times, node.tail()).isLessThan(deadline);
            sleep(200);
        }
    }
}
