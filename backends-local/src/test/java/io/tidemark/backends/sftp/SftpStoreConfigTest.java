package io.tidemark.backends.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SftpStoreConfigTest {
    private static final Path KNOWN_HOSTS = Path.of("known_hosts");

    @Test
    void harmonyLiteUrl_givesUserPasswordHostPortAndPath() {
        SftpStoreConfig c = SftpStoreConfig.fromHarmonyLiteUrl("sftp://bob:p%40ss@files.example:2222/srv/snapshots/")
                .knownHosts(KNOWN_HOSTS).build();
        assertThat(c.user()).isEqualTo("bob");
        assertThat(c.password()).isEqualTo("p@ss");
        assertThat(c.host()).isEqualTo("files.example");
        assertThat(c.port()).isEqualTo(2222);
        assertThat(c.path()).isEqualTo("/srv/snapshots");
        assertThat(c.resolve("HEAD.json")).isEqualTo("/srv/snapshots/HEAD.json");
        assertThat(c.toString()).doesNotContain("p@ss");
    }

    @Test
    void harmonyLiteUrl_defaultsToPort22_andTakesAKeyInsteadOfAPassword() {
        SftpStoreConfig c = SftpStoreConfig.fromHarmonyLiteUrl("sftp://bob@h/s").privateKey(Path.of("id"), null)
                .knownHosts(KNOWN_HOSTS).build();
        assertThat(c.port()).isEqualTo(22);
        assertThat(c.maxChannels()).isEqualTo(SftpStoreConfig.DEFAULT_MAX_CHANNELS);
        assertThat(c.password()).isNull();
        assertThat(c.privateKey()).isEqualTo(Path.of("id"));
    }

    @Test
    void badScheme_isRefused_withoutEchoingThePassword() {
        assertThatThrownBy(() -> SftpStoreConfig.fromHarmonyLiteUrl("ssh://bob:hidden@h/s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sftp://")
                .hasMessageNotContaining("hidden");
    }

    @Test
    void missingHost_isRefused() {
        assertThatThrownBy(() -> SftpStoreConfig.fromHarmonyLiteUrl("sftp:///s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
    }

    @Test
    void missingUserOrCredentials_isRefusedWithTheFix() {
        assertThatThrownBy(() -> SftpStoreConfig.fromHarmonyLiteUrl("sftp://h/s").password("x").knownHosts(KNOWN_HOSTS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a user");
        assertThatThrownBy(() -> SftpStoreConfig.fromHarmonyLiteUrl("sftp://bob@h/s").knownHosts(KNOWN_HOSTS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password")
                .hasMessageContaining("private key");
    }

    @Test
    void missingPathOrKnownHosts_isRefused() {
        assertThatThrownBy(() -> SftpStoreConfig.fromHarmonyLiteUrl("sftp://bob:pw@h").knownHosts(KNOWN_HOSTS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> SftpStoreConfig.fromHarmonyLiteUrl("sftp://bob:pw@h/s").build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("known_hosts");
        assertThatThrownBy(() -> SftpStoreConfig.fromHarmonyLiteUrl("sftp://bob:pw@h/a/../b").knownHosts(KNOWN_HOSTS).build())
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> SftpStoreConfig.fromHarmonyLiteUrl("sftp://bob:pw@h/s").knownHosts(KNOWN_HOSTS)
                .maxChannels(0).build()).hasMessageContaining("maxChannels must be 1..256");
    }
}
