package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CLI end to end on a real nats-server: what a user types, what they see, the exit codes. */
class CliIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void seedLoadBuildListShowRestoreVerifyRollback() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "cli");
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, WorkloadSchema.SQL);
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "cli", "--subject-prefix", "cli-change",
                "--shards", "2", "--max-entries", "100000", "--store", dir.resolve("store").toString(), "--work-dir", dir.resolve("work").toString()};
        CliRun seed = run(concat(new String[]{"snapshot", "seed", "--schema", schema.toString()}, common));
        assertThat(seed.code()).as(seed.err()).isZero();
        assertThat(seed.out()).contains("seeded").contains("4 tables");

        assertThat(run(concat(new String[]{"load", "--changes", "3000"}, common)).code()).isZero();
        CliRun build = run(concat(new String[]{"snapshot", "build"}, common));
        assertThat(build.code()).as(build.out() + build.err()).isZero();
        assertThat(build.out()).startsWith("created").contains("3,000 changes");
        CliRun skipped = run(concat(new String[]{"snapshot", "build"}, common));
        assertThat(skipped.out()).startsWith("skipped");

        CliRun list = run(concat(new String[]{"snapshot", "list"}, common));
        assertThat(list.out().lines().filter(l -> l.startsWith("HEAD"))).hasSize(1);
        String seedId = list.out().lines().filter(l -> l.contains("seed")).findFirst().orElseThrow().trim().split("\\s+")[0];

        assertThat(run(concat(new String[]{"snapshot", "show"}, common)).out()).contains("\"positions\"");
        Path restored = dir.resolve("out/node.db");
        CliRun restore = run(concat(new String[]{"snapshot", "restore", "--to", restored.toString()}, common));
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restored).exists();
        assertThat(restored.resolveSibling("seq-map.cbor")).exists();
        assertThat(run(concat(new String[]{"snapshot", "verify"}, common)).out()).startsWith("verified");

        CliRun rollback = run(concat(new String[]{"snapshot", "rollback", seedId}, common));
        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("HEAD is now " + seedId);
    }

    @Test
    void aSmallBuildStoresAPageSet_andRebaseStoresTheWholeDatabaseAgain() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "cli-pages");
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, WorkloadSchema.SQL);
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "clip", "--subject-prefix", "clip-change",
                "--max-entries", "100000", "--store", dir.resolve("store").toString(), "--work-dir",
                dir.resolve("work").toString()};
        assertThat(run(concat(new String[]{"snapshot", "seed", "--schema", schema.toString()}, common)).code()).isZero();
        assertThat(run(concat(new String[]{"load", "--changes", "20000", "--force"}, common)).code()).isZero();
        assertThat(run(concat(new String[]{"snapshot", "build"}, common)).code()).isZero();
        assertThat(run(concat(new String[]{"load", "--changes", "20", "--seed", "9", "--force"}, common)).code()).isZero();
        CliRun small = run(concat(new String[]{"snapshot", "build"}, common));
        assertThat(small.out()).as(small.out() + small.err()).contains("level-0 page set").contains("on the warm database");
        assertThat(run(concat(new String[]{"snapshot", "show"}, common)).out()).contains("\"layers\"");

        CliRun rebase = run(concat(new String[]{"snapshot", "build", "--rebase", "--force"}, common));
        assertThat(rebase.code()).as(rebase.out() + rebase.err()).isZero();
        assertThat(rebase.out()).contains("whole database");
        assertThat(run(concat(new String[]{"snapshot", "show"}, common)).out()).doesNotContain("\"layers\"");
        assertThat(run(concat(new String[]{"snapshot", "verify"}, common)).out()).startsWith("verified");
    }

    @Test
    void natsObjectStore_andKvLease_runTheSameCycle() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "clinats");
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, WorkloadSchema.SQL);
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "onats", "--subject-prefix", "onats-change",
                "--max-entries", "100000", "--store", "nats:onats-snapshots", "--work-dir", dir.resolve("w").toString()};
        assertThat(run(concat(new String[]{"snapshot", "seed", "--schema", schema.toString()}, common)).code()).isZero();
        assertThat(run(concat(new String[]{"load", "--changes", "1000"}, common)).code()).isZero();
        CliRun build = run(concat(new String[]{"snapshot", "build"}, common));
        assertThat(build.out()).as(build.err()).startsWith("created").contains("1,000 changes");
        CliRun verify = run(concat(new String[]{"snapshot", "verify"}, common));
        assertThat(verify.out()).as(verify.err()).startsWith("verified");
        assertThat(run(concat(new String[]{"snapshot", "list"}, common)).out().lines()
                .filter(l -> l.startsWith("HEAD"))).hasSize(1);
    }

    @RegisterExtension
    static io.tidemark.fixtures.aws.S3ProxyExtension s3 = new io.tidemark.fixtures.aws.S3ProxyExtension();
    @RegisterExtension
    static io.tidemark.fixtures.aws.DynamoDbLocalExtension ddb = new io.tidemark.fixtures.aws.DynamoDbLocalExtension();

    @Test
    void s3Store_andDynamoDbLease_runTheSameCycle_asTheReplicaServiceDoes() throws Exception {
        System.setProperty("aws.accessKeyId", io.tidemark.fixtures.aws.S3ProxyExtension.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", io.tidemark.fixtures.aws.S3ProxyExtension.SECRET_KEY);
        Path dir = Files.createTempDirectory(nats.tempDir(), "clis3");
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, WorkloadSchema.SQL);
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "os3", "--subject-prefix", "os3-change",
                "--max-entries", "100000", "--store", "s3://" + s3.newBucket() + "/os3", "--s3-endpoint",
                s3.endpoint().toString(), "--work-dir", dir.resolve("w").toString()};
        String[] withLease = concat(common, new String[]{"--lease-table", ddb.newLeaseTable(), "--dynamodb-endpoint",
                ddb.endpoint().toString()});
        CliRun seed = run(concat(new String[]{"snapshot", "seed", "--schema", schema.toString()}, withLease));
        assertThat(seed.code()).as(seed.err()).isZero();
        assertThat(run(concat(new String[]{"load", "--changes", "800"}, withLease)).code()).isZero();
        CliRun build = run(concat(new String[]{"snapshot", "build"}, withLease));
        assertThat(build.out()).as(build.err()).startsWith("created").contains("800 changes");
        CliRun verify = run(concat(new String[]{"snapshot", "verify"}, common)); // reading needs no lease
        assertThat(verify.out()).as(verify.err()).startsWith("verified");
    }

    @Test
    void badInput_exitsTwoWithAClearMessage() throws Exception {
        CliRun r = run("snapshot", "list", "--config", "/nonexistent/tidemark.toml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad input").contains("/nonexistent/tidemark.toml");
        CliRun shards = run("snapshot", "list", "--shards", "0");
        assertThat(shards.code()).isEqualTo(2);
        assertThat(shards.err()).contains("shards must be between 1 and 1024");
        Path emptyStore = Files.createDirectories(nats.tempDir().resolve("empty-store"));
        CliRun noHead = run("snapshot", "show", "--store", emptyStore.toString());
        assertThat(noHead.code()).isEqualTo(1);
        assertThat(noHead.err()).contains("no snapshot").contains("tidemark snapshot seed");
        CliRun badId = run("snapshot", "show", "../../etc", "--store", emptyStore.toString());
        assertThat(badId.code()).isEqualTo(2);
        assertThat(badId.err()).contains("not a snapshot id");
    }

    @Test
    void seedFromANodesDatabase_startsWhereTheStreamStarts_andRejectsAForeignOrLaggingSeqMap() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "node");
        Path db = dir.resolve("node.db");
        try (java.sql.Connection c = io.tidemark.core.snapshot.Sqlite.open(db)) {
            io.tidemark.core.snapshot.SqlScript.run(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
                    + "INSERT INTO t VALUES (1, 'a'), (2, 'b');"
                    + "CREATE TABLE __harmonylite___change_log_global (id INTEGER PRIMARY KEY);");
        }
        // A bounded stream that has dropped its first 30 messages: it starts at seq 31.
        try (io.nats.client.Connection nc = nats.connect()) {
            nc.jetStreamManagement().addStream(io.nats.client.api.StreamConfiguration.builder().name("node-1")
                    .subjects("node-change-1").maxMessages(20).build());
            for (int i = 1; i <= 50; i++) {
                nc.jetStream().publish("node-change-1", io.tidemark.core.change.ChangeCodec.encode(7, i,
                        io.tidemark.core.change.ChangeType.INSERT, "t", java.util.Map.of("id", (long) (i % 3), "v",
                                "m" + i), null, false));
            }
        }
        String[] cluster = {"--nats-url", nats.url(), "--stream-prefix", "node", "--subject-prefix", "node-change",
                "--compress", "false"};
        Path seqMap = dir.resolve("seq-map.cbor");
        // A publishing node's seq-map may run ahead of what it applied: the seed replays what the
        // stream holds (seqs 31..50) over the node's database and stands at the stream's head.
        io.tidemark.core.change.SeqMap.write(seqMap, java.util.Map.of("node-1", 45L));
        CliRun seeded = run(concat(new String[]{"snapshot", "seed", "--db", db.toString(), "--seq-map", seqMap.toString(),
                "--store", dir.resolve("store").toString()}, cluster));
        assertThat(seeded.code()).as(seeded.err()).isZero();
        assertThat(seeded.out()).contains("3 rows in 1 tables").contains("node-1=50");
        Path restored = dir.resolve("restored.db");
        assertThat(run(concat(new String[]{"snapshot", "restore", "--to", restored.toString(), "--store",
                dir.resolve("store").toString()}, cluster)).code()).isZero();
        try (java.sql.Connection c = io.tidemark.core.snapshot.Sqlite.open(restored);
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT group_concat(id || '=' || v) FROM"
                     + " (SELECT * FROM t ORDER BY id)")) {
            assertThat(rs.getString(1)).isEqualTo("0=m48,1=m49,2=m50"); // the stream's last word on each row
        }

        io.tidemark.core.change.SeqMap.write(seqMap, java.util.Map.of("node-1", 12L));
        CliRun lagging = run(concat(new String[]{"snapshot", "seed", "--db", db.toString(), "--seq-map",
                seqMap.toString(), "--store", dir.resolve("store3").toString()}, cluster));
        assertThat(lagging.code()).isEqualTo(2);
        assertThat(lagging.err()).contains("up to seq 12").contains("the stream starts at 31");

        io.tidemark.core.change.SeqMap.write(seqMap, java.util.Map.of("other-1", 5L));
        CliRun foreign = run(concat(new String[]{"snapshot", "seed", "--db", db.toString(), "--seq-map",
                seqMap.toString(), "--store", dir.resolve("store2").toString()}, cluster));
        assertThat(foreign.code()).isEqualTo(2);
        assertThat(foreign.err()).contains("seq-map names stream other-1").contains("not a stream of cluster node");
    }

    @Test
    void wrongInput_isNamedForWhatItIs() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "names");
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, WorkloadSchema.SQL);
        String store = dir.resolve("store").toString();
        String[] common = {"--nats-url", nats.url(), "--stream-prefix", "names", "--store", store};
        assertThat(run(concat(new String[]{"snapshot", "seed", "--schema", schema.toString()}, common)).code()).isZero();

        CliRun rollback = run(concat(new String[]{"snapshot", "rollback", "20200101T000000Z-000000000000"}, common));
        assertThat(rollback.code()).isEqualTo(2);
        assertThat(rollback.err()).contains("no snapshot 20200101T000000Z-000000000000").doesNotContain("corrupt");

        Path seqMap = dir.resolve("seq-map.cbor");
        Files.write(seqMap, new byte[]{(byte) 0xff, 0x01});
        CliRun badMap = run(concat(new String[]{"snapshot", "seed", "--db", schema.toString(), "--seq-map",
                seqMap.toString()}, common));
        assertThat(badMap.err()).contains("is not a HarmonyLite seq-map").doesNotContain("malformed change");

        Files.writeString(Path.of(store, "HEAD.json"), "{\"snapshot\": ");
        CliRun badHead = run(concat(new String[]{"snapshot", "show"}, common));
        assertThat(badHead.code()).isEqualTo(1);
        assertThat(badHead.err()).contains("corrupt HEAD").contains("HEAD.json").doesNotContain("corrupt snapshot");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
