package io.tidemark.harmonylite;

import static io.tidemark.harmonylite.HarmonyLiteHarness.tidemark;
import static io.tidemark.harmonylite.HarmonyLiteHarness.tidemarkOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.fixtures.aws.S3ProxyExtension;
import io.tidemark.fixtures.harmonylite.HarmonyLiteNode;
import io.tidemark.fixtures.harmonylite.HarmonyLiteNodeConfig;
import io.tidemark.fixtures.harmonylite.NodeWriter;
import io.tidemark.fixtures.harmonylite.TableRows;
import io.tidemark.fixtures.sftp.PasswordSftpServer;
import io.tidemark.fixtures.sftp.SshdServer;
import io.tidemark.fixtures.webdav.WsgiDavServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real HarmonyLite nodes restoring from the {@code snapshot.db} Tidemark publishes, in each store
 * HarmonyLite reads: a new node with an empty database, and a node that was down while more than
 * {@code max_entries} changes went by (the stream no longer holds what it missed). Both boot from
 * Tidemark's copy, replay what the stream holds, and end equal to the writer.
 */
class NodesBootFromTidemarkIT {
    private static final long MAX_ENTRIES = 300;

    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @TempDir
    Path dir;

    @BeforeAll
    static void awsCredentials() {
        System.setProperty("aws.accessKeyId", S3ProxyExtension.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyExtension.SECRET_KEY);
    }

    @AfterAll
    static void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** The store both sides use: Tidemark's --store flags and the node's [snapshot.<store>] table. */
    private record Store(String[] tidemarkFlags, String kind, String nodeToml) {}

    /** Servers a case started, stopped after it. */
    private final List<AutoCloseable> servers = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable c : servers) {
            c.close();
        }
    }

    private Store store(String kind) throws Exception {
        return switch (kind) {
            case "nats" -> new Store(new String[]{"--store", "nats"}, "nats", null);
            case "s3" -> {
                String bucket = s3.newBucket();
                yield new Store(new String[]{"--store", "s3://" + bucket + "/cluster-a", "--s3-endpoint",
                        s3.endpoint().toString()}, "s3", String.join("\n",
                        "endpoint = \"" + s3.endpoint().getAuthority() + "\"", "bucket = \"" + bucket + "\"",
                        "path = \"cluster-a\"", "use_ssl = false",
                        "access_key = \"" + S3ProxyExtension.ACCESS_KEY + "\"",
                        "secret = \"" + S3ProxyExtension.SECRET_KEY + "\""));
            }
            case "webdav" -> {
                WsgiDavServer dav = WsgiDavServer.start(java.nio.file.Files.createDirectories(dir.resolve("dav")));
                servers.add(dav);
                String url = dav.harmonyLiteUrl("/cluster-a");
                yield new Store(new String[]{"--store", url}, "webdav", "url = \"" + url + "\"");
            }
            case "sftp" -> {
                // Tidemark writes through OpenSSH (key login); the node reads the same folder through a
                // password server, the only login HarmonyLite's SFTP client has.
                SshdServer sshd = SshdServer.start(java.nio.file.Files.createDirectories(dir.resolve("sshd")));
                servers.add(sshd);
                PasswordSftpServer forNodes = PasswordSftpServer.start(sshd.root(), dir.resolve("sshd"));
                servers.add(forNodes);
                Path config = dir.resolve("tidemark-sftp.toml");
                java.nio.file.Files.writeString(config, String.join("\n", "[snapshot]", "store = \"sftp\"",
                        "[snapshot.sftp]", "url = \"sftp://" + sshd.user() + "@" + sshd.host() + ":" + sshd.port()
                                + sshd.root().resolve("cluster-a") + "\"",
                        "known_hosts = \"" + sshd.knownHosts() + "\"", "private_key = \"" + sshd.clientKey() + "\""));
                yield new Store(new String[]{"--config", config.toString()}, "sftp",
                        "url = \"" + forNodes.harmonyLiteUrl("/cluster-a") + "\"");
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "store {0}")
    @ValueSource(strings = {"nats", "s3", "webdav", "sftp"})
    void newNode_andNodeBehindMaxEntries_bootFromTidemarksSnapshotDb(String kind) throws Exception {
        Store store = store(kind);
        try (HarmonyLiteHarness h = new HarmonyLiteHarness(dir, 1, true, MAX_ENTRIES)) {
            String[] flags = h.cluster(store.tidemarkFlags());
            UnaryOperator<HarmonyLiteNodeConfig.Builder> restoring = b -> b.publish(false)
                    .snapshots(store.kind(), store.nodeToml(), 0, 30_000);
            HarmonyLiteNode writer = h.startNode(1);
            HarmonyLiteNode follower = h.startNode(2, false, restoring);
            HarmonyLiteNodeConfig restoringFollower = follower.config();
            new NodeWriter(writer.db(), 5, 0).write(900, 30, 200);
            h.awaitConverged(writer, Duration.ofSeconds(60));

            tidemarkOk(new String[]{"snapshot", "seed", "--db", writer.db().toString(), "--seq-map",
                    writer.seqMap().toString()}, flags);
            new NodeWriter(writer.db(), 6, 0).write(200, 20, 200);
            h.awaitConverged(writer, Duration.ofSeconds(60));
            io.tidemark.cli.CliRun build = tidemarkOk(new String[]{"snapshot", "build"}, flags);
            assertThat(build.out()).startsWith("created").contains("boot copy published");

            // A new node: an empty file, nothing in its seq-map, the stream missing its first changes.
            HarmonyLiteNode fresh = h.startNode(3, true, restoring);
            h.replayOverRestoredFile(fresh, Duration.ofSeconds(60));
            Map<String, List<String>> expected = h.awaitConverged(writer, Duration.ofSeconds(90));
            assertThat(fresh.isAlive()).as("node 3 exited; its log:%n%s", fresh.tail()).isTrue();
            assertThat(TableRows.of(fresh.db())).isEqualTo(expected);
            assertThat(fresh.logText()).contains("Downloaded snapshot");

            // A node down while more than max_entries changes went by.
            follower.stop();
            // Tidemark keeps up as its headroom trigger would: a build every ~half stream of changes.
            // snapshot.db is rewritten only once the copy there is a quarter of max_entries behind.
            int published = 0;
            for (int round = 0; round < 6; round++) {
                new NodeWriter(writer.db(), 70 + round, 0).write(80, 20, 200);
                h.awaitConverged(writer, Duration.ofSeconds(60));
                String out = tidemarkOk(new String[]{"snapshot", "build"}, flags).out();
                assertThat(out).containsPattern("boot copy (published|fresh-enough)");
                published += out.contains("boot copy published") ? 1 : 0;
            }
            assertThat(published).isBetween(2, 5);
            follower.restart(restoringFollower);
            h.replayOverRestoredFile(follower, Duration.ofSeconds(60));
            Map<String, List<String>> after = h.awaitConverged(writer, Duration.ofSeconds(90));
            assertThat(follower.isAlive()).as("node 2 exited; its log:%n%s", follower.tail()).isTrue();
            assertThat(TableRows.of(follower.db())).isEqualTo(after);
            assertThat(follower.logText()).contains("Downloaded snapshot");
            follower.restart(restoringFollower); // snapshots on again: caught up, it has no reason to restore
            assertThat(TableRows.of(follower.db())).isEqualTo(h.awaitConverged(writer, Duration.ofSeconds(60)));
        }
    }
}
