package io.tidemark.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.cli.CliRun;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A full disk for the work directory, the store and the restore target: small tmpfs mounts (the
 * tests run as root here, as on CI). Each refusal names the disk-full condition and the place, and
 * nothing already stored is lost or overwritten.
 */
class FullDiskIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    private final List<Path> mounts = new java.util.ArrayList<>();

    private Path tmpfs(Path where, String size) throws Exception {
        Files.createDirectories(where);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", where.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as("mounting a %s tmpfs at %s (this test needs root): %s", size, where, out).isTrue();
        mounts.add(where);
        return where;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            new ProcessBuilder("umount", "-l", m.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void fullWorkDir_store_andRestoreTarget_areNamed_andNothingStoredIsLost() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "full");
        ClusterConfig cluster = ClusterConfig.defaults().withPrefixes("full", "full-change").withMaxEntries(1_000_000);
        Path schema = Files.writeString(dir.resolve("schema.sql"), WorkloadSchema.SQL);
        Path storeDir = dir.resolve("store");
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "full", "--subject-prefix", "full-change",
                "--max-entries", "1000000"};
        assertThat(cli(common, "--store", storeDir.toString(), "--work-dir", dir.resolve("work").toString(),
                "snapshot", "seed", "--schema", schema.toString()).code()).isZero();
        try (Connection nc = nats.connect()) {
            WorkloadPublisher.publish(nc, cluster, new WorkloadGenerator(cluster, 3, 256)::next, 60_000);
        }
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(storeDir);
        Head seed = Catalog.requireHead(store).head();

        // 1. The work directory fills up while the build replays.
        Path smallWork = tmpfs(dir.resolve("small-work"), "3m");
        CliRun build = cli(common, "--store", storeDir.toString(), "--work-dir", smallWork.toString(),
                "snapshot", "build");
        assertThat(build.code()).isEqualTo(1);
        assertThat(build.out() + build.err()).contains("disk full").contains(smallWork.toString())
                .doesNotContain("no transaction is active");
        assertThat(Catalog.requireHead(store).head()).isEqualTo(seed);

        // 2. The store fills up while the snapshot uploads: HEAD stays, no partial snapshot is visible.
        Path smallStore = tmpfs(dir.resolve("small-store"), "2m");
        assertThat(cli(common, "--store", smallStore.toString(), "--work-dir", dir.resolve("work0").toString(),
                "snapshot", "seed", "--schema", schema.toString()).code()).isZero();
        LocalFolderSnapshotStore small = new LocalFolderSnapshotStore(smallStore);
        Head smallSeed = Catalog.requireHead(small).head();
        CliRun upload = cli(common, "--store", smallStore.toString(), "--work-dir", dir.resolve("work1").toString(),
                "snapshot", "build");
        assertThat(upload.code()).as(upload.out() + upload.err()).isEqualTo(1);
        assertThat(upload.out() + upload.err()).contains(smallStore.toString());
        assertThat(Catalog.requireHead(small).head()).isEqualTo(smallSeed);
        assertThat(Catalog.snapshotIds(small)).containsExactly(smallSeed.snapshot());
        assertThat(cli(common, "--store", smallStore.toString(), "snapshot", "verify").code()).isZero();

        // 3. The restore target's disk is too small: it is named, and no half database is left.
        assertThat(cli(common, "--store", storeDir.toString(), "--work-dir", dir.resolve("work2").toString(),
                "snapshot", "build").code()).isZero();
        Path smallTarget = tmpfs(dir.resolve("small-target"), "1m");
        Path target = smallTarget.resolve("node.db");
        CliRun restore = cli(common, "--store", storeDir.toString(), "snapshot", "restore", "--to", target.toString());
        assertThat(restore.code()).as(restore.out() + restore.err()).isEqualTo(1);
        assertThat(restore.err()).contains(target.toString());
        assertThat(target).doesNotExist();
        try (var left = Files.list(smallTarget)) {
            assertThat(left.toList()).as("nothing half-written left on the full disk").isEmpty();
        }
    }

    private static CliRun cli(String[] common, String... args) {
        // Commands first, then the common flags, as a user types them.
        int split = 0;
        while (split < args.length && args[split].startsWith("--")) {
            split += 2;
        }
        String[] all = new String[args.length - split + common.length + split];
        System.arraycopy(args, split, all, 0, args.length - split);
        System.arraycopy(common, 0, all, args.length - split, common.length);
        System.arraycopy(args, 0, all, args.length - split + common.length, split);
        return CliRun.of(all);
    }
}
