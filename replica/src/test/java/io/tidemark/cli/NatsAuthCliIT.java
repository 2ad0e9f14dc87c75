package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.NKey;
import io.tidemark.fixtures.nats.NatsServerProcess;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI authenticates to a nats-server that requires an nkey, from a HarmonyLite node's {@code seed_file}. */
class NatsAuthCliIT {
    @TempDir
    Path dir;

    @Test
    void aNodesSeedFile_isHonoured_andTwoWaysToAuthenticateAreBadInput() throws Exception {
        NKey user = NKey.createUser(null);
        Path conf = Files.writeString(dir.resolve("server.conf"),
                "authorization { users = [ { nkey: \"" + new String(user.getPublicKey()) + "\" } ] }\n");
        Files.writeString(dir.resolve("user.nk"), new String(user.getSeed()) + "\n");
        Path schema = Files.writeString(dir.resolve("schema.sql"), WorkloadSchema.SQL);
        try (NatsServerProcess server = NatsServerProcess.start(dir.resolve("nats"), List.of("-c", conf.toString()))) {
            Path config = Files.writeString(dir.resolve("node.toml"), String.join("\n", "[nats]",
                    "urls = [\"" + server.url() + "\"]", "seed_file = \"user.nk\"", "[snapshot]", "store = \"file\"",
                    "[snapshot.file]", "path = \"store\"", ""));
            CliRun seed = CliRun.of("snapshot", "seed", "--schema", schema.toString(), "--config", config.toString());
            assertThat(seed.code()).as(seed.err()).isZero();
            assertThat(seed.out()).contains("seeded");

            CliRun anonymous = CliRun.of("snapshot", "list", "--nats-url", server.url(), "--store", "nats");
            assertThat(anonymous.code()).isEqualTo(ExitCodes.FAILED);
            assertThat(anonymous.err()).contains("cannot connect to NATS");

            Path both = Files.writeString(dir.resolve("both.toml"), Files.readString(config)
                    .replace("seed_file", "token = \"t0k3n-x\"\nseed_file"));
            CliRun twice = CliRun.of("snapshot", "list", "--config", both.toString());
            assertThat(twice.code()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(twice.err()).contains("nats.token and nats.seed_file").doesNotContain("t0k3n-x");
        }
    }
}
