package io.tidemark.backends.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            NatsCredentials c = NatsCredentials.fromSecret(secrets, "tidemark/nats");
            assertThat(c.user()).isEqualTo("builder");
            assertThat(c.password()).isEqualTo("s3cret-pw");
            assertThat(c.token()).isNull();
            assertThat(c.authHandler()).isNull();
        }
        assertThat(http.requests().get(0).header("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(http.requests().get(0).body()).contains("tidemark/nats");
    }

    @Test
    void parse_acceptsATokenOrACredsFile() {
        assertThat(NatsCredentials.parse("s", "{\"token\":\"t0k3n\"}").token()).isEqualTo("t0k3n");
        NatsCredentials creds = NatsCredentials.parse("s", "{\"creds\":" + quoted(CREDS) + "}");
        assertThat(creds.creds()).contains("BEGIN NATS USER JWT");
        // The handler jnats gets answers the server's challenge: the creds' JWT, and an Ed25519
        // signature (64 bytes) of the nonce by the creds' seed.
        assertThat(new String(creds.authHandler().getJWT())).isEqualTo(CREDS.lines()
                .dropWhile(l -> !l.contains("BEGIN NATS USER JWT")).skip(1).findFirst().orElseThrow().trim());
        assertThat(creds.authHandler().sign("nonce-123".getBytes())).hasSize(64);
    }

    @Test
    void toString_neverPrintsASecret() {
        NatsCredentials c = new NatsCredentials("builder", "s3cret-pw", "t0k3n", CREDS);
        assertThat(c.toString()).contains("builder").doesNotContain("s3cret-pw").doesNotContain("t0k3n")
                .doesNotContain("SUAIBDPB").doesNotContain("eyJ0eXAi");
        assertThat(NatsCredentials.NONE.toString()).contains("password=none");
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
