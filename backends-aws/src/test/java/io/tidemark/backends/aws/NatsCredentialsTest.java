package io.tidemark.backends.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.AuthHandler;
import io.nats.client.Options;
import io.tidemark.backends.jetstream.NatsAuth;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

class NatsCredentialsTest {
    @RegisterExtension
    static RecordingHttpEndpoint http = new RecordingHttpEndpoint(r -> new Response(200, "application/x-amz-json-1.1",
            "{\"Name\":\"nats\",\"SecretString\":\"{\\\"user\\\":\\\"builder\\\",\\\"password\\\":\\\"s3cret-pw\\\"}\"}"));

    /** A syntactically valid .creds file (the JWT and seed are throwaway test values). */
    static final String CREDS = """
            -----BEGIN NATS USER JWT-----
            eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.sig
            ------END NATS USER JWT------

            -----BEGIN USER NKEY SEED-----
            SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4
            ------END USER NKEY SEED------
            """;

    @Test
    void fromSecret_readsUserAndPassword_throughSecretsManager() {
        AwsClients aws = new AwsClients(Region.US_EAST_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
        try (SecretsManagerClient secrets = aws.secrets(http.endpoint())) {
            assertThat(NatsCredentials.fromSecret(secrets, "tidemark/nats"))
                    .isEqualTo(new NatsAuth.UserPassword("builder", "s3cret-pw", "secret tidemark/nats"));
        }
        assertThat(http.requests().get(0).header("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(http.requests().get(0).body()).contains("tidemark/nats");
    }

    @Test
    void parse_acceptsATokenOrACredsFile_andTheCredsAnswerTheServersChallenge() {
        assertThat(NatsCredentials.parse("s", "{\"token\":\"t0k3n\"}")).isEqualTo(new NatsAuth.Token("t0k3n", "secret s"));
        NatsAuth creds = NatsCredentials.parse("s", "{\"creds\":" + quoted(CREDS) + "}");
        assertThat(creds).isInstanceOf(NatsAuth.Creds.class);
        // The handler jnats gets answers the server's challenge: the creds' JWT, and an Ed25519
        // signature (64 bytes) of the nonce by the creds' seed.
        Options.Builder b = new Options.Builder();
        creds.applyTo(b);
        AuthHandler handler = b.build().getAuthHandler();
        assertThat(new String(handler.getJWT())).isEqualTo(CREDS.lines()
                .dropWhile(l -> !l.contains("BEGIN NATS USER JWT")).skip(1).findFirst().orElseThrow().trim());
        assertThat(handler.sign("nonce-123".getBytes())).hasSize(64);
    }

    @Test
    void toString_neverPrintsASecret() {
        assertThat(NatsCredentials.parse("s", "{\"user\":\"builder\",\"password\":\"s3cret-pw\"}").toString())
                .contains("builder").doesNotContain("s3cret-pw");
        assertThat(NatsCredentials.parse("s", "{\"token\":\"t0k3n\"}").toString()).doesNotContain("t0k3n");
        assertThat(NatsCredentials.parse("s", "{\"creds\":" + quoted(CREDS) + "}").toString())
                .doesNotContain("SUAIBDPB").doesNotContain("eyJ0eXAi");
    }

    @Test
    void parse_refusesMalformedSecrets_withoutQuotingThem() {
        assertThatThrownBy(() -> NatsCredentials.parse("tidemark/nats", "{\"user\":\"builder\",\"password\":\"s3cret-pw\""))
                .hasMessageContaining("tidemark/nats").hasMessageNotContaining("s3cret-pw");
        assertThatThrownBy(() -> NatsCredentials.parse("s", "{\"user\":\"builder\"}")).hasMessageContaining("password");
        assertThatThrownBy(() -> NatsCredentials.parse("s", "{\"user\":\"u\",\"password\":\"p\",\"token\":\"t\"}"))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> NatsCredentials.parse("s", "{}")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> NatsCredentials.parse("s", "\"s3cret-pw\"")).hasMessageContaining("JSON object")
                .hasMessageNotContaining("s3cret-pw");
        assertThatThrownBy(() -> NatsCredentials.parse("s", "{\"creds\":\"s3cret-pw\"}")).hasMessageContaining(".creds")
                .hasMessageNotContaining("s3cret-pw");
        assertThatThrownBy(() -> NatsCredentials.parse("s", null)).hasMessageContaining("binary");
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
