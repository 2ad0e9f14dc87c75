package io.tidemark.backends.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import io.tidemark.fixtures.webdav.WsgiDavServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    void compareAndSet_racersWithTheirOwnHttpClients_haveExactlyOneWinner() throws Exception {
        String url = server.harmonyLiteUrl(freshDir());
        int racers = 8;
        List<SnapshotStore> stores = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            stores.add(new WebDavSnapshotStore(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                    WebDavStoreConfig.fromHarmonyLiteUrl(url)));
        }
        String v1 = stores.get(0).compareAndSet("HEAD.json", "base".getBytes(StandardCharsets.UTF_8), null);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                SnapshotStore store = stores.get(i);
                byte[] mine = ("racer-" + i).getBytes(StandardCharsets.UTF_8);
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        store.compareAndSet("HEAD.json", mine, v1);
                        return true;
                    } catch (PreconditionFailedException lost) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aWrongSecret_isAnErrorNamingTheStore_notAnEmptyStore() {
        String url = server.baseUrl() + "?dir=/x&login=" + WsgiDavServer.USER + "&secret=wrong";
        SnapshotStore store = new WebDavSnapshotStore(http, WebDavStoreConfig.fromHarmonyLiteUrl(url));
        assertThatThrownBy(() -> store.list("snapshots/")).isInstanceOf(StoreException.class)
                .hasMessageContaining(server.baseUrl() + "/x").hasMessageContaining("login and secret")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void removeAbandoned_deletesOldTemporariesOfDeadWriters_only() throws Exception {
        String dir = freshDir();
        SnapshotStore store = new WebDavSnapshotStore(http, WebDavStoreConfig.fromHarmonyLiteUrl(server.harmonyLiteUrl(dir)));
        store.putIfAbsent("snapshots/a/manifest.json", new ByteArrayInputStream(new byte[]{7}), 1);
        java.nio.file.Path hidden = server.root().resolve(dir.substring(1)).resolve(".tidemark");
        java.nio.file.Files.createDirectories(hidden);
        java.nio.file.Path dead = java.nio.file.Files.write(hidden.resolve("tmp-dead"), new byte[64]);
        java.nio.file.Files.setLastModifiedTime(dead, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(3))));
        java.nio.file.Path inflight = java.nio.file.Files.write(hidden.resolve("tmp-inflight"), new byte[64]);
        assertThat(store.removeAbandoned(java.time.Instant.now().minus(java.time.Duration.ofHours(1)))).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(inflight).exists();
        assertThat(store.list("snapshots/")).containsExactly("snapshots/a/manifest.json");
    }
}
