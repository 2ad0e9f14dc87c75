package io.tidemark.backends.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.Session;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import io.tidemark.fixtures.sftp.SshdServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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

/** The store contract on a real OpenSSH sshd, one per class, a fresh folder per test. */
class SftpSnapshotStoreIT extends SnapshotStoreContract {
    static SshdServer sshd;
    static Session session;

    @BeforeAll
    static void start() throws IOException {
        sshd = SshdServer.start(Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sshd-"));
        session = SftpSessions.connect(config(freshPath()));
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.disconnect();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private static String freshPath() {
        return sshd.root().resolve("c-" + UUID.randomUUID().toString().substring(0, 8)).resolve("snapshots").toString();
    }

    private static SftpStoreConfig config(String path) {
        return SftpStoreConfig.fromHarmonyLiteUrl("sftp://" + sshd.user() + "@127.0.0.1:" + sshd.port() + path)
                .privateKey(sshd.clientKey(), null).knownHosts(sshd.knownHosts()).build();
    }

    private static SftpStoreConfig oneChannel(String path) {
        return SftpStoreConfig.fromHarmonyLiteUrl("sftp://" + sshd.user() + "@127.0.0.1:" + sshd.port() + path)
                .privateKey(sshd.clientKey(), null).knownHosts(sshd.knownHosts()).maxChannels(1).build();
    }

    @Override
    protected SnapshotStore newStore() {
        return new SftpSnapshotStore(session, config(freshPath()));
    }

    @Test
    void objects_areFilesUnderThePath_andTheListingHidesLocksAndTemporaries() throws Exception {
        String path = freshPath();
        SftpSnapshotStore store = new SftpSnapshotStore(session, config(path));
        store.putIfAbsent("snapshots/a/manifest.json", new ByteArrayInputStream(new byte[]{7}), 1);
        store.compareAndSet("HEAD.json", "{}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(Files.readAllBytes(Path.of(path, "snapshots/a/manifest.json"))).containsExactly(7);
        assertThat(Path.of(path, ".tidemark")).isDirectory();
        assertThat(store.list("")).containsExactly("HEAD.json", "snapshots/a/manifest.json");
        assertThat(store.describe()).isEqualTo("sftp://" + sshd.user() + "@127.0.0.1:" + sshd.port() + path);
        store.close();
    }

    @Test
    void compareAndSet_breaksALockLeftByADeadHolder() throws Exception {
        String path = freshPath();
        SftpSnapshotStore store = new SftpSnapshotStore(session, SftpStoreConfig.fromHarmonyLiteUrl(
                        "sftp://" + sshd.user() + "@127.0.0.1:" + sshd.port() + path)
                .privateKey(sshd.clientKey(), null).knownHosts(sshd.knownHosts())
                .lockStaleAfter(Duration.ofSeconds(5)).lockWait(Duration.ofSeconds(3)).build());
        String v1 = store.compareAndSet("HEAD.json", "one".getBytes(StandardCharsets.UTF_8), null);
        Path lock = Path.of(path, ".tidemark", "HEAD.json.lock");
        Files.writeString(lock, "a holder that died");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(600)));
        String v2 = store.compareAndSet("HEAD.json", "two".getBytes(StandardCharsets.UTF_8), v1);
        assertThat(new String(store.read("HEAD.json").orElseThrow().content(), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(store.read("HEAD.json").orElseThrow().version()).isEqualTo(v2);
        assertThat(lock).doesNotExist();

        Files.writeString(lock, "a live holder");
        assertThatThrownBy(() -> store.compareAndSet("HEAD.json", "three".getBytes(StandardCharsets.UTF_8), v2))
                .isInstanceOf(StoreException.class).hasMessageContaining("HEAD.json").hasMessageContaining("stayed held");
        Files.delete(lock);
    }

    @Test
    void compareAndSet_racersOnSeparateSessions_haveExactlyOneWinner() throws Exception {
        String path = freshPath();
        int racers = 6;
        List<Session> sessions = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<SftpSnapshotStore> stores = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Session s = SftpSessions.connect(config(path));
                sessions.add(s);
                stores.add(new SftpSnapshotStore(s, oneChannel(path)));
            }
            String v1 = stores.get(0).compareAndSet("HEAD.json", "base".getBytes(StandardCharsets.UTF_8), null);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                SftpSnapshotStore store = stores.get(i);
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
            assertThat(new String(stores.get(0).read("HEAD.json").orElseThrow().content(), StandardCharsets.UTF_8))
                    .startsWith("racer-");
        } finally {
            pool.shutdown();
            sessions.forEach(Session::disconnect);
        }
    }

    @Test
    void anUnknownHostKey_isRefused() throws Exception {
        Path empty = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "known_hosts", "");
        SftpStoreConfig c = SftpStoreConfig.fromHarmonyLiteUrl("sftp://" + sshd.user() + "@127.0.0.1:" + sshd.port() + "/x")
                .privateKey(sshd.clientKey(), null).knownHosts(empty).connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> SftpSessions.connect(c)).isInstanceOf(StoreException.class)
                .hasMessageContaining("127.0.0.1:" + sshd.port());
    }

    @Test
    void removeAbandoned_deletesOldTemporariesOfDeadWriters_only() throws Exception {
        String path = freshPath();
        SftpSnapshotStore store = new SftpSnapshotStore(session, config(path));
        store.putIfAbsent("snapshots/a/manifest.json", new ByteArrayInputStream(new byte[]{7}), 1);
        java.nio.file.Path hidden = java.nio.file.Path.of(path).resolve(".tidemark");
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
