package io.tidemark.backends.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebDavStoreConfigTest {
    @Test
    void harmonyLiteUrl_movesDirLoginAndSecretOutOfTheQuery() {
        WebDavStoreConfig c = WebDavStoreConfig.fromHarmonyLiteUrl(
                "http://dav.example:8080/remote.php/dav/?dir=/snapshots/c1/&login=bob&secret=p%26ss&keep=1");
        assertThat(c.baseUrl()).isEqualTo(URI.create("http://dav.example:8080/remote.php/dav?keep=1"));
        assertThat(c.dir()).isEqualTo("snapshots/c1");
        assertThat(c.login()).isEqualTo("bob");
        assertThat(c.secret()).isEqualTo("p&ss");
        assertThat(c.lockTimeout()).isEqualTo(WebDavStoreConfig.DEFAULT_LOCK_TIMEOUT);
        assertThat(c.resolve("snapshots/a b/x.json"))
                .isEqualTo(URI.create("http://dav.example:8080/remote.php/dav/snapshots/c1/snapshots/a%20b/x.json?keep=1"));
        assertThat(c.rootPath()).isEqualTo("/remote.php/dav/snapshots/c1/");
    }

    @Test
    void harmonyLiteUrl_withoutDir_usesTheBaseItself() {
        WebDavStoreConfig c = WebDavStoreConfig.fromHarmonyLiteUrl("https://h?login=a&secret=b");
        assertThat(c.dir()).isEmpty();
        assertThat(c.resolve("HEAD.json")).isEqualTo(URI.create("https://h/HEAD.json"));
    }

    @Test
    void toString_neverShowsTheSecret() {
        assertThat(WebDavStoreConfig.fromHarmonyLiteUrl("http://h/?login=a&secret=topsecret").toString())
                .doesNotContain("topsecret");
    }

    @Test
    void missingLoginOrSecret_isRefusedNamingTheParameter() {
        assertThatThrownBy(() -> WebDavStoreConfig.fromHarmonyLiteUrl("http://h/?dir=/s&secret=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("login=");
        assertThatThrownBy(() -> WebDavStoreConfig.fromHarmonyLiteUrl("http://h/?dir=/s&login=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret=");
    }

    @Test
    void badSchemeOrMissingHost_isRefused_withoutEchoingTheSecret() {
        assertThatThrownBy(() -> WebDavStoreConfig.fromHarmonyLiteUrl("ftp://h/?login=a&secret=hidden"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http:// or https://")
                .hasMessageNotContaining("hidden");
        assertThatThrownBy(() -> WebDavStoreConfig.fromHarmonyLiteUrl("/just/a/path?login=a&secret=hidden"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://host:port/path")
                .hasMessageNotContaining("hidden");
        assertThatThrownBy(() -> WebDavStoreConfig.fromHarmonyLiteUrl("http:///p?login=a&secret=b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builder_rejectsDotSegmentsAndNonPositiveDurations() {
        assertThatThrownBy(() -> WebDavStoreConfig.builder().baseUrl("http://h").dir("a/../b").login("a").secret("b").build())
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> WebDavStoreConfig.builder().baseUrl("http://h").login("a").secret("b")
                .lockWait(Duration.ZERO).build()).hasMessageContaining("lockWait must be positive");
        assertThatThrownBy(() -> WebDavStoreConfig.builder().baseUrl("http://u:p@h").login("a").secret("b").build())
                .hasMessageContaining("login= and secret=");
    }
}
