package io.tidemark.replica;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.backends.local.LocalLeaseManager;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.Publisher;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.change.SeqMap;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.replay.PositionTable;
import io.tidemark.core.restore.DatabaseDigest;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.SqlScript;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real {@code tidemark replica} process: restores, follows live changes, survives a nats-server
 * restart, stops cleanly on SIGTERM, and after a kill -9 resumes without applying anything twice.
 */
class ReplicaProcessIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ClusterConfig cluster;
    private Path dir;
    private WorkloadGenerator gen;
    private long published;

    @BeforeEach
    void cluster() throws Exception {
        String prefix = "r" + System.nanoTime() % 1_000_000;
        cluster = ClusterConfig.defaults().withPrefixes(prefix, prefix + "-change").withShards(2).withCompressed(true)
                .withMaxEntries(1_000_000);
        dir = Files.createTempDirectory(nats.tempDir(), prefix);
        gen = new WorkloadGenerator(cluster, 7);
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("store"));
        LocalLeaseManager leases = new LocalLeaseManager(dir.resolve("store/.leases"));
        BuildOptions options = BuildOptions.builder(dir.resolve("work")).build();
        new Publisher(cluster, store, leases, options).seedFromSchema(WorkloadSchema.SQL);
        publish(2_000);
        try (Connection nc = nats.connect()) {
            new SnapshotBuilder(cluster, new JetStreamChangeSource(nc, cluster, false), store, leases,
                    EventPublisher.NONE, options).build(Trigger.MANUAL, false);
        }
    }

    private void publish(long n) throws Exception {
        try (Connection nc = nats.connect()) {
            WorkloadPublisher.publish(nc, cluster, gen::next, n);
        }
        published += n;
    }

    private Path config(int port, String... extra) throws IOException {
        Path toml = dir.resolve("tidemark.toml");
        Files.writeString(toml, String.join("\n",
                "db_path = \"replica/replica.db\"",
                "node_id = 3  # a HarmonyLite key Tidemark ignores",
                "[replication_log]", "shards = 2", "max_entries = 1000000", "compress = true",
                "[nats]", "urls = [\"" + nats.url() + "\"]", "stream_prefix = \"" + cluster.streamPrefix() + "\"",
                "subject_prefix = \"" + cluster.subjectPrefix() + "\"", "reconnect_wait_seconds = 1",
                "[snapshot]", "store = \"file\"", "[snapshot.file]", "path = \"store\"",
                "[health_check]", "bind = \"127.0.0.1:" + port + "\"",
                "[admin]", "bind = \"127.0.0.1:" + freePort() + "\"", String.join("\n", extra), ""));
        return toml;
    }

    /** The log's messages, one per line, whether the lines are JSON objects or plain text. */
    private static String logMessages(Path log) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(log)) {
            out.append(line.startsWith("{") ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(line)
                    .path("formattedMessage").asText() : line).append('\n');
        }
        return out.toString();
    }

    private Process start(Path toml) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The shipped logging (logback.xml), not the tests' quiet logback-test.xml on the same classpath.
        String logging = ReplicaProcessIT.class.getResource("/logback.xml").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-Dlogback.configurationFile=" + logging, "-cp",
                System.getProperty("java.class.path"), "io.tidemark.cli.TidemarkCli", "replica", "--config",
                toml.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("replica.log").toFile()))
                .start();
    }

    private JsonNode status(int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception notUpYet) {
            return null;
        }
    }

    private void await(int port, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = status(port);
            if (last != null && condition.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; last status " + last + "; log:\n"
                + Files.readString(dir.resolve("replica.log")));
    }

    private static long applied(JsonNode status) {
        long sum = 0;
        for (JsonNode v : status.get("positions")) {
            sum += v.asLong();
        }
        return sum;
    }

    private Map<String, DatabaseDigest.TableDigest> fullReplay() throws Exception {
        Path db = dir.resolve("full/replica.db");
        Files.createDirectories(db.getParent());
        try (java.sql.Connection c = Sqlite.open(db)) {
            SqlScript.run(c, WorkloadSchema.SQL);
            io.tidemark.core.replay.PositionTable.createAtStart(c);
        }
        TidemarkConfig cfg = TidemarkConfig.builder().cluster(cluster).natsUrls(List.of(nats.url()))
                .storeDir(dir.resolve("store")).workDir(dir.resolve("work")).dbPath(db).build();
        try (Connection nc = nats.connect();
             Replica r = new Replica(cfg, new JetStreamChangeSource(nc, cluster, false),
                     new LocalFolderSnapshotStore(dir.resolve("store")), new LocalLeaseManager(dir.resolve("l")),
                     Progress.NONE)) {
            assertThat(r.recover().restore()).as("the reference replays from seq 1, it does not restore HEAD").isFalse();
            r.catchUp();
        }
        return digest(db);
    }

    private static Map<String, DatabaseDigest.TableDigest> digest(Path db) throws Exception {
        try (java.sql.Connection c = Sqlite.open(db)) {
            return DatabaseDigest.of(c);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void followsLive_survivesNatsRestart_andStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        Process p = start(config(port));
        try {
            await(port, s -> "FOLLOWING".equals(s.get("state").asText()), "FOLLOWING");
            assertThat(status(port).get("recovery").asText()).isEqualTo("NO_DATABASE");
            await(port, s -> applied(s) == published, "the snapshot's tail");

            publish(3_000);
            await(port, s -> applied(s) == published, "3,000 live changes");

            nats.server().restart();
            publish(1_000);
            await(port, s -> applied(s) == published, "changes after the nats-server restart");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("tidemark_replica_lag_changes{stream=\"" + cluster.streamName(1) + "\"} 0")
                    .contains("# HELP tidemark_replica_position ").contains("jvm_memory_used_bytes")
                    .contains("tidemark_build_info{version=");
        } finally {
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("replica.log"))).contains("stopped cleanly");
        // Not on a terminal: every log line is one JSON object with a level and a message.
        List<String> logLines = Files.readAllLines(dir.resolve("replica.log")).stream()
                .filter(l -> l.startsWith("{")).toList();
        assertThat(logLines).isNotEmpty();
        for (String line : logLines) {
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(json.path("level").asText()).isNotEmpty();
            assertThat(json.path("formattedMessage").asText()).as(line).isNotEmpty();
        }
        assertThat(logLines).anyMatch(l -> l.contains("stopped cleanly"));
        Path db = dir.resolve("replica/replica.db");
        Map<String, Long> inDb;
        try (java.sql.Connection c = Sqlite.open(db)) {
            inDb = PositionTable.read(c);
        }
        assertThat(inDb.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(published);
        assertThat(new TreeMap<>(SeqMap.read(db.resolveSibling("seq-map.cbor")))).isEqualTo(new TreeMap<>(inDb));
        assertThat(digest(db)).isEqualTo(fullReplay());
    }

    @Test
    void killedMidReplay_resumesWithoutApplyingAnythingTwice() throws Exception {
        int port = freePort();
        Path toml = config(port);
        publish(60_000);
        Process p = start(toml);
        await(port, s -> applied(s) > 5_000, "part of the replay");
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9
        assertThat(applied(status(port) == null ? JSON.readTree("{\"positions\":{}}") : status(port))).isZero();

        Process again = start(toml);
        try {
            await(port, s -> applied(s) == published && "FOLLOWING".equals(s.get("state").asText()), "full catch-up");
            assertThat(status(port).get("recovery").asText()).isEqualTo("NONE");
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(digest(dir.resolve("replica/replica.db"))).isEqualTo(fullReplay());
    }

    @Test
    void readyFailsWhileNatsIsDown_liveDoesNot_andEachDisconnectIsLogged_withTheAdminListenerOff() throws Exception {
        int port = freePort();
        Path toml = config(port);
        // "off": no admin port at all, so two replicas on one host cannot collide on it
        Files.writeString(toml, Files.readString(toml).replaceFirst("(?s)\\[admin\\].*", "[admin]\nbind = \"off\"\n"));
        Process p = start(toml);
        try {
            await(port, s -> "FOLLOWING".equals(s.get("state").asText()), "FOLLOWING");
            assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
            nats.server().stop();
            awaitCode(port, "/health/ready", 503);
            Thread.sleep(3_000); // several reconnect attempts (reconnect_wait_seconds = 1)
            assertThat(get(port, "/health/ready").body()).contains("\"nats\":\"disconnected\"");
            assertThat(get(port, "/health").statusCode()).isEqualTo(503);
            assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
            nats.server().startAgain();
            awaitCode(port, "/health/ready", 200);
        } finally {
            nats.server().startAgain(); // a no-op when it is up; other tests need it
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String log = logMessages(dir.resolve("replica.log"));
        assertThat(log).contains("NATS disconnected from " + nats.url()).contains("NATS reconnected to " + nats.url());
        assertThat(log).contains("POST /snapshot off");
        // jnats repeats the disconnect on each failed reconnect attempt; one outage is one line.
        assertThat(log.split("NATS disconnected", -1)).hasSize(2);
    }

    @Test
    void postSnapshot_isOnlyOnTheAdminListener_andNeedsTheTokenWhenOneIsSet() throws Exception {
        int port = freePort();
        int adminPort = freePort();
        Path tokenFile = Files.writeString(dir.resolve("admin.token"), "s3cret-token-0123456789\n");
        Path toml = config(port);
        Files.writeString(toml, Files.readString(toml).replaceFirst("(?s)\\[admin\\].*", "[admin]\nbind = \"127.0.0.1:"
                + adminPort + "\"\ntoken_file = \"admin.token\"\n"));
        Process p = start(toml);
        try {
            await(port, s -> "FOLLOWING".equals(s.get("state").asText()), "FOLLOWING");
            HttpResponse<String> publicPost = post(port, null);
            assertThat(publicPost.statusCode()).isEqualTo(404);
            assertThat(publicPost.body()).contains("admin listener");
            assertThat(post(adminPort, null).statusCode()).isEqualTo(401);
            assertThat(post(adminPort, "wrong-token-0123456789").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = post(adminPort, Files.readString(tokenFile).trim());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            String id = JSON.readTree(ok.body()).get("snapshot").asText();
            assertThat(io.tidemark.core.manifest.Catalog.requireHead(new LocalFolderSnapshotStore(dir.resolve("store")))
                    .head().snapshot()).isEqualTo(id);
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/snapshot"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitCode(int port, String path, int code) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = get(port, path).statusCode();
            if (last == code) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " answered " + last + ", not " + code + "; log:\n"
                + Files.readString(dir.resolve("replica.log")));
    }
}
