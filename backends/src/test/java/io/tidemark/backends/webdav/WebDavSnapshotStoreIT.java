package io.tidemark.backends.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import io.tidemark.fixtures.webdav.WsgiDavServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract on a real wsgidav server, one per class, a fresh folder per test. */
class WebDavSnapshotStoreIT extends SnapshotStoreContract {
    static WsgiDavServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "wsgidav-");
        server = WsgiDavServer.start(dir);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String freshDir() {
        return "/clusters/c-" + UUID.randomUUID().toString().substring(0, 8) + "/snapshots";
    }

    @Override
    protected SnapshotStore newStore() {
        return new WebDavSnapshotStore(http, WebDavStoreConfig.fromHarmonyLiteUrl(server.harmonyLiteUrl(freshDir())));
    }

    @Test
    void objects_landUnderTheDirOfTheUrl_asPlainFiles() throws Exception {
        String dir = freshDir();
        SnapshotStore store = new WebDavSnapshotStore(http, WebDavStoreConfig.fromHarmonyLiteUrl(server.harmonyLiteUrl(dir)));
        store.replace("snapshot.db", new ByteArrayInputStream(new byte[]{1, 2, 3}), 3);
        assertThat(Files.readAllBytes(server.root().resolve(dir.substring(1)).resolve("snapshot.db")))
                .containsExactly(1, 2, 3);
        assertThat(store.describe()).isEqualTo("webdav:" + server.baseUrl() + dir).doesNotContain(WsgiDavServer.PASSWORD);
    }

    @Test
    void compareAndSet_leavesNoLockOrTemporaryFileInTheListing() {
        SnapshotStore store = newStore();
        String v1 = store.compareAndSet("HEAD.json", "{\"n\":1}".getBytes(), null);
        assertThat(store.read("HEAD.json").orElseThrow().version()).isEqualTo(v1);
        assertThat(store.list("")).containsExactly("HEAD.json");
    }

    @Test
    void aWrongSecret_isAnErrorNamingTheStore_notAnEmptyStore() {
        String url = server.baseUrl() + "?dir=/x&login=" + WsgiDavServer.USER + "&secret=wrong";
        SnapshotStore store = new WebDavSnapshotStore(http, WebDavStoreConfig.fromHarmonyLiteUrl(url));
        assertThatThrownBy(() -> store.list("snapshots/")).isInstanceOf(StoreException.class)
                .hasMessageContaining(server.baseUrl() + "/x").hasMessageContaining("login and secret")
                .hasMessageNotContaining("wrong");
    }
}
