package io.tidemark.backends.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.tidemark.fixtures.nats.NatsServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way Tidemark authenticates, against a real nats-server that requires it. */
class NatsAuthIT {
    @TempDir
    Path dir;

    @Test
    void token_fromTheEnvironment_opensAServerThatRequiresIt_andAWrongOneIsRefusedNamingItsVariable() {
        try (NatsServerProcess server = NatsServerProcess.start(dir, List.of("--auth", "s3cret-token-4711"))) {
            NatsSecurity good = NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_TOKEN, "s3cret-token-4711"));
            assertConnects(server, good);
            NatsSecurity wrong = NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_TOKEN, "not-the-token"));
            assertThatThrownBy(() -> NatsConnections.connect(List.of(server.url()), wrong, Duration.ofMillis(100)))
                    .hasMessageContaining("cannot connect to NATS").hasMessageContaining(NatsSecurity.ENV_TOKEN)
                    .hasMessageNotContaining("not-the-token");
            assertThatThrownBy(() -> NatsConnections.connect(List.of(server.url()), NatsSecurity.NONE,
                    Duration.ofMillis(100))).hasMessageContaining("cannot connect to NATS");
        }
    }

    @Test
    void userAndPassword_fromASecretsJson_opensAServerThatRequiresThem() {
        try (NatsServerProcess server = NatsServerProcess.start(dir, List.of("--user", "builder", "--pass", "pw-0815"))) {
            assertConnects(server, NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_SECRET,
                    "{\"user\":\"builder\",\"password\":\"pw-0815\"}")));
        }
    }

    @Test
    void nkeySeedFile_asHarmonyLitesSeedFile_signsTheServersNonce() throws Exception {
        NKey user = NKey.createUser(null);
        Path conf = Files.writeString(dir.resolve("nkeys.conf"),
                "authorization { users = [ { nkey: \"" + new String(user.getPublicKey()) + "\" } ] }\n");
        Path seed = Files.writeString(dir.resolve("user.nk"), new String(user.getSeed()) + "\n");
        try (NatsServerProcess server = NatsServerProcess.start(dir.resolve("nkey"), List.of("-c", conf.toString()))) {
            assertConnects(server, NatsSecurity.NONE.withAuth(new NatsAuth.NkeySeedFile(seed, "nats.seed_file")));

            Path other = Files.writeString(dir.resolve("other.nk"), new String(NKey.createUser(null).getSeed()));
            assertThatThrownBy(() -> NatsConnections.connect(List.of(server.url()),
                    NatsSecurity.NONE.withAuth(new NatsAuth.NkeySeedFile(other, "nats.seed_file")), Duration.ofMillis(100)))
                    .hasMessageContaining("cannot connect to NATS").hasMessageContaining("nats.seed_file");
        }
    }

    @Test
    void aSeedFileWithoutASeed_isBadInputNamingTheSetting_beforeAnyConnection() throws Exception {
        Path notASeed = Files.writeString(dir.resolve("x.nk"), "hello\n");
        assertThatThrownBy(() -> NatsConnections.connect(List.of("nats://127.0.0.1:1"),
                NatsSecurity.NONE.withAuth(new NatsAuth.NkeySeedFile(notASeed, "--nats-nkey")), Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--nats-nkey")
                .hasMessageContaining("holds no user nkey seed");
    }

    private static void assertConnects(NatsServerProcess server, NatsSecurity security) {
        try (Connection nc = NatsConnections.connect(List.of(server.url()), security, Duration.ofMillis(100))) {
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            nc.flush(Duration.ofSeconds(5)); // a round trip: the server accepted us, not only the socket
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
