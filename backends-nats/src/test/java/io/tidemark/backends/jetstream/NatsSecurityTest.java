package io.tidemark.backends.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NatsSecurityTest {
    @Test
    void fromEnvironment_readsTlsFilesAndOneWayToAuthenticate() {
        NatsSecurity s = NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_CA, "/tls/ca.pem",
                NatsSecurity.ENV_CERT, "/tls/c.pem", NatsSecurity.ENV_KEY, "/tls/k.pem",
                NatsSecurity.ENV_CREDS, "/etc/nats/t.creds"));
        assertThat(s).isEqualTo(new NatsSecurity(Path.of("/tls/ca.pem"), Path.of("/tls/c.pem"), Path.of("/tls/k.pem"),
                new NatsAuth.CredsFile(Path.of("/etc/nats/t.creds"), NatsSecurity.ENV_CREDS)));
        assertThat(NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_USER, "u", NatsSecurity.ENV_PASSWORD, "p")).auth())
                .isEqualTo(new NatsAuth.UserPassword("u", "p", NatsSecurity.ENV_USER));
        assertThat(NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_NKEY, "/k/u.nk")).auth())
                .isEqualTo(new NatsAuth.NkeySeedFile(Path.of("/k/u.nk"), NatsSecurity.ENV_NKEY));
        assertThat(NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_TOKEN, " ", "PATH", "/bin"))).isEqualTo(NatsSecurity.NONE);
    }

    @Test
    void twoWaysToAuthenticate_inOneLayer_isAnErrorNamingBoth() {
        assertThatThrownBy(() -> NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_USER, "u",
                NatsSecurity.ENV_TOKEN, "t0k3n-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NatsSecurity.ENV_USER).hasMessageContaining(NatsSecurity.ENV_TOKEN)
                .hasMessageNotContaining("t0k3n-secret");
    }

    @Test
    void overlaidWith_replacesAuthenticationAsAWhole_andTheCertificateWithItsKey() {
        NatsSecurity file = new NatsSecurity(Path.of("ca.pem"), Path.of("c.pem"), Path.of("k.pem"),
                new NatsAuth.UserPassword("u", "p", "nats.user_name"));
        NatsSecurity env = NatsSecurity.NONE.withAuth(new NatsAuth.Token("t", NatsSecurity.ENV_TOKEN));
        NatsSecurity both = file.overlaidWith(env);
        assertThat(both.auth()).isEqualTo(new NatsAuth.Token("t", NatsSecurity.ENV_TOKEN));
        assertThat(both.caFile()).isEqualTo(Path.of("ca.pem"));
        assertThat(both.certFile()).isEqualTo(Path.of("c.pem"));
        NatsSecurity flags = new NatsSecurity(null, Path.of("c2.pem"), Path.of("k2.pem"), NatsAuth.NONE);
        NatsSecurity top = both.overlaidWith(flags);
        assertThat(top.certFile()).isEqualTo(Path.of("c2.pem"));
        assertThat(top.keyFile()).isEqualTo(Path.of("k2.pem"));
        assertThat(top.auth()).isEqualTo(both.auth());
        assertThat(file.overlaidWith(NatsSecurity.NONE)).isEqualTo(file);
    }

    @Test
    void aSecretsJson_isOneOfUserTokenOrCreds_andItsErrorsNeverQuoteIt() {
        assertThat(NatsAuth.fromSecretJson("s", "{\"token\":\"t0k3n\"}")).isEqualTo(new NatsAuth.Token("t0k3n", "s"));
        assertThatThrownBy(() -> NatsSecurity.fromEnvironment(Map.of(NatsSecurity.ENV_SECRET, "{\"user\":\"u\",\"password\":\"s3cret-pw\"")))
                .hasMessageContaining(NatsSecurity.ENV_SECRET).hasMessageNotContaining("s3cret-pw");
        assertThatThrownBy(() -> NatsAuth.fromSecretJson("s", "{\"creds\":\"s3cret-pw\"}")).hasMessageContaining(".creds")
                .hasMessageNotContaining("s3cret-pw");
        assertThatThrownBy(() -> NatsAuth.fromSecretJson("s", "{}")).hasMessageContaining("exactly one");
    }

    @Test
    void toString_neverPrintsASecret() {
        assertThat(new NatsAuth.Token("t0k3n-secret", "x").toString()).doesNotContain("t0k3n-secret");
        assertThat(new NatsAuth.UserPassword("u", "pw-secret", "x").toString()).doesNotContain("pw-secret").contains("u");
        assertThat(new NatsAuth.Creds("SUAIBDPB...", "x").toString()).doesNotContain("SUAIBDPB");
    }
}
