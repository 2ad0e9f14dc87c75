package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Safe by default: reading creates nothing, restoring never overwrites by accident. */
class CliSafetyIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    @Test
    void readOnlyCommands_onAMissingFolder_failNamingIt_andCreateNothing() throws Exception {
        Path missing = Files.createTempDirectory(nats.tempDir(), "ro").resolve("no-such-store");
        for (String[] cmd : List.of(new String[]{"list"}, new String[]{"show"}, new String[]{"verify"},
                new String[]{"restore", "--to", missing.resolveSibling("t.db").toString()})) {
            CliRun r = CliRun.of(concat(concat(new String[]{"snapshot"}, cmd), "--store", missing.toString()));
            assertThat(r.code()).as(cmd[0] + ": " + r.err()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).as(cmd[0]).startsWith("tidemark: no store: snapshot folder " + missing)
                    .contains("tidemark snapshot seed");
            assertThat(missing).as(cmd[0]).doesNotExist();
        }
    }

    @Test
    void readOnlyCommands_onAMissingNatsBucket_failNamingIt_andCreateNoStream() throws Exception {
        try (Connection nc = nats.connect()) {
            List<String> before = nc.jetStreamManagement().getStreamNames();
            for (String cmd : List.of("list", "show", "verify")) {
                CliRun r = CliRun.of("snapshot", cmd, "--store", "nats:ro-missing", "--nats-url", nats.url());
                assertThat(r.code()).as(cmd + ": " + r.err()).isEqualTo(ExitCodes.FAILED);
                assertThat(r.err()).as(cmd).contains("no store: NATS object store bucket ro-missing");
            }
            assertThat(nc.jetStreamManagement().getStreamNames()).containsExactlyInAnyOrderElementsOf(before);
        }
    }

    @Test
    void restore_refusesAnExistingTarget_unlessForced_andTheIfFlagsExitZeroDoingNothing() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "restore");
        Path schema = Files.writeString(dir.resolve("schema.sql"), WorkloadSchema.SQL);
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "safe", "--store", dir.resolve("store").toString()};
        CliRun seed = CliRun.of(concat(new String[]{"snapshot", "seed", "--schema", schema.toString()}, common));
        assertThat(seed.code()).as(seed.err()).isZero();
        Path target = dir.resolve("node.db");
        Files.writeString(target, "a database someone cares about");

        CliRun refused = CliRun.of(concat(new String[]{"snapshot", "restore", "--to", target.toString()}, common));
        assertThat(refused.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(refused.err()).contains("target " + target + " exists").contains("--force");
        assertThat(Files.readString(target)).isEqualTo("a database someone cares about");

        CliRun skip = CliRun.of(concat(new String[]{"snapshot", "restore", "--to", target.toString(),
                "--if-db-not-exists"}, common));
        assertThat(skip.code()).as(skip.err()).isZero();
        assertThat(skip.out()).startsWith("nothing restored");
        assertThat(Files.readString(target)).isEqualTo("a database someone cares about");

        CliRun forced = CliRun.of(concat(new String[]{"snapshot", "restore", "--to", target.toString(), "--force"},
                common));
        assertThat(forced.code()).as(forced.err()).isZero();
        try (java.sql.Connection c = io.tidemark.core.snapshot.Sqlite.open(target)) {
            assertThat(io.tidemark.core.snapshot.Sqlite.integrityCheck(c)).isEqualTo("ok");
        }
    }

    @Test
    void restore_ifReplicaExists_exitsZero_whenThereIsNoHead_andFailsWithout() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "noreplica");
        Path emptyStore = Files.createDirectories(dir.resolve("store"));
        Path target = dir.resolve("node.db");
        for (Path store : List.of(emptyStore, dir.resolve("missing-store"))) {
            CliRun skip = CliRun.of("snapshot", "restore", "--to", target.toString(), "--store", store.toString(),
                    "--if-replica-exists");
            assertThat(skip.code()).as(skip.err()).isZero();
            assertThat(skip.out()).startsWith("nothing restored");
            CliRun fails = CliRun.of("snapshot", "restore", "--to", target.toString(), "--store", store.toString());
            assertThat(fails.code()).isEqualTo(ExitCodes.FAILED);
        }
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("missing-store")).doesNotExist();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
