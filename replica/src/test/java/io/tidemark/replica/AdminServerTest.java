package io.tidemark.replica;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
    @TempDir
    Path dir;

    @Test
    void refusesANonLoopbackAddress_withoutAToken() {
        assertThatThrownBy(() -> new AdminServer("0.0.0.0:0", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a loopback address")
                .hasMessageContaining("--admin-token-file");
    }

    @Test
    void refusesAShortOrMissingTokenFile() throws Exception {
        Path shortToken = Files.writeString(dir.resolve("t"), "abc\n");
        assertThatThrownBy(() -> new AdminServer("0.0.0.0:0", shortToken, null))
                .hasMessageContaining("fewer than 16 characters");
        assertThatThrownBy(() -> new AdminServer("127.0.0.1:0", dir.resolve("missing"), null))
                .hasMessageContaining("is not readable");
    }

    @Test
    void aPortInUse_isBadInputNamingTheSettingThatMovesIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> new AdminServer("127.0.0.1:" + taken.getLocalPort(), null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admin listener")
                    .hasMessageContaining("[admin] bind").hasMessageContaining("\"off\"");
        }
    }

    @Test
    void adminBind_isHostPortOrOff() {
        org.assertj.core.api.Assertions.assertThat(TidemarkConfig.checkAdminBind("off")).isEqualTo("off");
        assertThatThrownBy(() -> TidemarkConfig.checkAdminBind("8081")).hasMessageContaining("host:port or \"off\"");
    }
}
