package io.tidemark.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.tidemark.backends.jetstream.NatsAuth;
import io.tidemark.backends.jetstream.NatsSecurity;
import io.tidemark.fixtures.nats.NatsServerProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functions read NATS TLS and credentials from the same TIDEMARK_NATS_* variables as the CLI and replica. */
class NatsWiringIT {
    @TempDir
    Path dir;

    @Test
    void source_connectsWithTheTokenFromTheEnvironment_toAServerThatRequiresIt() {
        try (NatsServerProcess server = NatsServerProcess.start(dir, List.of("--auth", "fn-token-31415"))) {
            Wiring w = new Wiring(FunctionConfig.from(Map.of("TIDEMARK_BUCKET", "b", "TIDEMARK_NATS_URLS", server.url(),
                    NatsSecurity.ENV_TOKEN, "fn-token-31415")));
            try {
                w.source();
                assertThat(w.natsConnection().getStatus()).isEqualTo(Connection.Status.CONNECTED);
            } finally {
                w.closeNats();
            }
            Wiring without = new Wiring(FunctionConfig.from(Map.of("TIDEMARK_BUCKET", "b", "TIDEMARK_NATS_URLS",
                    server.url())));
            assertThatThrownBy(without::source).hasMessageContaining("cannot connect to NATS");
        }
    }

    @Test
    void config_readsTlsFilesAndCredentials_andTwoKindsAreAnErrorNamingThem() {
        FunctionConfig c = FunctionConfig.from(Map.of("TIDEMARK_BUCKET", "b", "TIDEMARK_NATS_URLS", "tls://h:4222",
                NatsSecurity.ENV_CA, "/tls/ca.pem", NatsSecurity.ENV_NKEY, "/run/secrets/nkey"));
        assertThat(c.natsSecurity().caFile()).isEqualTo(Path.of("/tls/ca.pem"));
        assertThat(c.natsSecurity().auth()).isEqualTo(new NatsAuth.NkeySeedFile(Path.of("/run/secrets/nkey"),
                NatsSecurity.ENV_NKEY));
        assertThatThrownBy(() -> FunctionConfig.from(Map.of("TIDEMARK_BUCKET", "b", "TIDEMARK_NATS_URLS", "nats://h:4222",
                NatsSecurity.ENV_TOKEN, "t", NatsSecurity.ENV_CREDS, "/c.creds")))
                .hasMessageContaining(NatsSecurity.ENV_TOKEN).hasMessageContaining(NatsSecurity.ENV_CREDS);
    }
}
