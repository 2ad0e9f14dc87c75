package io.tidemark.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.backends.local.LocalLeaseManager;
import io.tidemark.cli.CliRun;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.replay.PositionTable;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.snapshot.SqlScript;
import io.tidemark.fixtures.harmonylite.TableRows;
import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.fixtures.workload.WorkloadSchema;
import io.tidemark.replica.Replica;
import io.tidemark.replica.TidemarkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults a deployment meets, driven through the real CLI as separate processes: builds killed with
 * SIGKILL at random moments, lease state deleted, corrupted and truncated HEAD. After every case the
 * invariants must hold: HEAD verifies; HEAD's token and positions never go backwards; the next build
 * succeeds; no dead build's scratch outlives it; and, at the end, a replica restored from HEAD and
 * replayed equals a replica that replayed every change from sequence 1 (through SQLite). Seeded:
 * {@code -Dtidemark.fault.seed=N} replays a run; the seed is printed.
 */
class FaultIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();
    @RegisterExtension
    static io.tidemark.fixtures.aws.DynamoDbLocalExtension ddb = new io.tidemark.fixtures.aws.DynamoDbLocalExtension();

    /** DynamoDB Local's credentials, for this JVM's in-process CLI runs and for the child processes. */
    private static final List<String> AWS = List.of("-Daws.accessKeyId=local", "-Daws.secretAccessKey=local",
            "-Daws.region=us-east-1");

    @org.junit.jupiter.api.BeforeAll
    static void awsCredentials() {
        for (String p : AWS) {
            String[] kv = p.substring(2).split("=");
            System.setProperty(kv[0], kv[1]);
        }
    }

    private static final long SEED = Long.getLong("tidemark.fault.seed", System.nanoTime());
    private static final Map<String, int[]> FIGURES = new LinkedHashMap<>(); // case -> {attempts, failures}

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    private static Process cliProcess(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        cmd.addAll(AWS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tidemark.cli.TidemarkCli"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void count(String kase, boolean failed) {
        int[] f = FIGURES.computeIfAbsent(kase, k -> new int[2]);
        f[0]++;
        if (failed) {
            f[1]++;
        }
    }

    @AfterAll
    static void printFigures() {
        System.out.println("FaultIT seed " + SEED + ": case | attempts | invariant failures");
        FIGURES.forEach((k, v) -> System.out.printf("FaultIT  %-40s | %d | %d%n", k, v[0], v[1]));
    }

    /** Every lease backend: Tidemark's lock files, HarmonyLite's NATS KV key, a DynamoDB table (DynamoDB Local). */
    @org.junit.jupiter.params.ParameterizedTest(name = "lease {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"file", "nats", "dynamodb"})
    void killedBuilds_lostLeases_andDamagedHead_neverBreakTheInvariants(String lease) throws Exception {
        System.out.println("FaultIT seed " + SEED + " (replay with -Dtidemark.fault.seed=" + SEED + ")");
        Random random = new Random(SEED);
        Path dir = Files.createTempDirectory(nats.tempDir(), "fault");
        String prefix = "fault" + lease;
        String leaseBucket = "lease-" + prefix;
        String leaseTable = lease.equals("dynamodb") ? ddb.newLeaseTable() : null;
        ClusterConfig cluster = ClusterConfig.defaults().withPrefixes(prefix, prefix + "-change").withShards(2)
                .withMaxEntries(1_000_000);
        Path toml = dir.resolve("tidemark.toml");
        Files.writeString(toml, String.join("\n", "work_dir = \"work\"", "[replication_log]", "shards = 2",
                "max_entries = 1000000", "compress = true", "[nats]", "urls = [\"" + nats.url() + "\"]",
                "stream_prefix = \"" + prefix + "\"", "subject_prefix = \"" + prefix + "-change\"", "[snapshot]",
                "store = \"file\"",
                "leader_ttl = 1500", "[snapshot.file]", "path = \"store\"", "[snapshot.retention]", "keep_last = 2",
                "daily = 0", "weekly = 0", "monthly = 0", "grace_hours = 0",
                switch (lease) {
                    case "nats" -> "[snapshot.lease]\ntype = \"nats\"\nbucket = \"" + leaseBucket + "\"";
                    case "dynamodb" -> "[snapshot.lease]\ntype = \"dynamodb\"\ntable = \"" + leaseTable
                            + "\"\nendpoint = \"" + ddb.endpoint() + "\"";
                    default -> "";
                }, ""));
        String config = toml.toString();
        Path schema = Files.writeString(dir.resolve("schema.sql"), WorkloadSchema.SQL);
        assertThat(cli("snapshot", "seed", "--schema", schema.toString(), "--config", config).code()).isZero();
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("store"));
        WorkloadGenerator gen = new WorkloadGenerator(cluster, random.nextLong(), 200);
        Head last = Catalog.requireHead(store).head();
        Map<String, Long> lastPositions = Catalog.headManifest(store, last).manifest().positions();

        for (int attempt = 1; attempt <= 15; attempt++) {
            try (Connection nc = nats.connect()) {
                WorkloadPublisher.publish(nc, cluster, gen::next, 2_000 + random.nextInt(20_000));
            }
            String kase;
            if (attempt % 5 == 4) {
                kase = "3 concurrent builders while load runs";
                List<Process> builders = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    builders.add(cliProcess(dir.resolve("build.log"), "snapshot", "build", "--config", config));
                }
                try (Connection nc = nats.connect()) {
                    WorkloadPublisher.publish(nc, cluster, gen::next, 5_000);
                }
                for (Process p : builders) {
                    p.waitFor(90, TimeUnit.SECONDS);
                }
                // Every snapshot that became HEAD was moved with a larger token than the one before.
                long previous = -1;
                for (String id : Catalog.snapshotIds(store)) {
                    if (store.stat(io.tidemark.core.store.StoreLayout.headedKey(id)).isPresent()) {
                        Manifest m = Catalog.manifest(store, id, null).manifest();
                        long token = m.build() == null ? 0 : m.build().leaseToken();
                        assertThat(token).as("token of %s", id).isGreaterThan(previous);
                        previous = token;
                    }
                }
            } else if (attempt % 5 == 0) {
                kase = "lease state lost (folder, KV bucket or table items deleted)";
                if (lease.equals("nats")) {
                    try (Connection nc = nats.connect()) {
                        nc.keyValueManagement().delete(leaseBucket); // revisions restart at 1 when it is recreated
                    }
                } else if (lease.equals("dynamodb")) {
                    // Items gone (TTL, a restored table): tokens must not restart.
                    ddb.client().scan(b -> b.tableName(leaseTable)).items().forEach(item -> ddb.client().deleteItem(
                            b -> b.tableName(leaseTable).key(Map.of("name", item.get("name")))));
                } else {
                    deleteTree(dir.resolve("store/.leases"));
                }
            } else if (attempt % 5 == 1) {
                kase = "nats-server restarted during a build";
                Process p = cliProcess(dir.resolve("build.log"), "snapshot", "build", "--config", config);
                Thread.sleep(500 + random.nextInt(1_500));
                nats.server().restart();
                p.waitFor(60, TimeUnit.SECONDS); // it rides through or fails; either way the invariants hold
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                Thread.sleep(1_600);
            } else if (attempt % 5 == 2) {
                kase = "SIGSTOP of a builder past its lease ttl";
                Process p = cliProcess(dir.resolve("build.log"), "snapshot", "build", "--config", config);
                Thread.sleep(1_200 + random.nextInt(800));
                signal(p, "STOP");
                Thread.sleep(2_000); // past the 1.5 s ttl: another builder may take over
                CliRun other = cli("snapshot", "build", "--config", config);
                // It builds, or (when the stopped one froze inside the lease file's few-ms critical section)
                // says which lock another process does not let go of: never hangs.
                assertThat(other.code() == 0 || (other.out() + other.err()).contains("does not let go"))
                        .as("a build while the old leader is stopped: %s%s", other.out(), other.err()).isTrue();
                Head taken = Catalog.requireHead(store).head();
                signal(p, "CONT");
                p.waitFor(60, TimeUnit.SECONDS);
                Head after = Catalog.requireHead(store).head();
                assertThat(after.leaseToken()).as("the woken stale leader never moves HEAD back")
                        .isGreaterThanOrEqualTo(taken.leaseToken());
                if (!after.snapshot().equals(taken.snapshot())) {
                    // Only a newer lease could have moved it; the stale one holds an older token.
                    assertThat(after.leaseToken()).isGreaterThan(taken.leaseToken());
                }
            } else {
                kase = "kill -9 during build";
                Process p = cliProcess(dir.resolve("build.log"), "snapshot", "build", "--config", config);
                Thread.sleep(200 + random.nextInt(2_500));
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                Thread.sleep(1_600); // its lease expires
            }
            kase = kase + ", lease " + lease;
            boolean failed = true;
            try {
                CliRun verify = cli("snapshot", "verify", "--config", config);
                assertThat(verify.code()).as("%s, attempt %d: verify%n%s%s", kase, attempt, verify.out(), verify.err())
                        .isZero();
                CliRun build = cli("snapshot", "build", "--config", config);
                assertThat(build.code()).as("%s, attempt %d: the next build%n%s%s", kase, attempt, build.out(),
                        build.err()).isZero();
                Head now = Catalog.requireHead(store).head();
                Map<String, Long> positions = Catalog.headManifest(store, now).manifest().positions();
                assertThat(now.leaseToken()).as("HEAD's token").isGreaterThanOrEqualTo(last.leaseToken());
                for (Map.Entry<String, Long> e : lastPositions.entrySet()) {
                    assertThat(positions.get(e.getKey())).as("position of " + e.getKey()).isGreaterThanOrEqualTo(e.getValue());
                }
                assertThat(scratchLeft(dir.resolve("work"))).as("dead builds' scratch").isEmpty();
                last = now;
                lastPositions = positions;
                failed = false;
            } finally {
                count(kase, failed);
            }
        }

        // kill -9 of a restore: the target is absent or a whole, verified database; never half.
        for (int i = 0; i < 3; i++) {
            Path target = dir.resolve("restores/r" + i + ".db");
            Process p = cliProcess(dir.resolve("restore.log"), "snapshot", "restore", "--to", target.toString(),
                    "--config", config);
            Thread.sleep(300 + random.nextInt(1_500));
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            boolean failed = true;
            try {
                if (Files.exists(target)) {
                    try (java.sql.Connection c = Sqlite.open(target)) {
                        assertThat(Sqlite.integrityCheck(c)).isEqualTo("ok");
                    }
                }
                CliRun again = cli("snapshot", "restore", "--to", target.toString(), "--force",
                        "--config", config);
                assertThat(again.code()).as(again.err()).isZero();
                failed = false;
            } finally {
                count("kill -9 during restore", failed);
            }
        }

        // kill -9 of a rollback: HEAD is the old or the new one, verified either way.
        String rollbackTo = Catalog.snapshotIds(store).get(0);
        for (int i = 0; i < 2; i++) {
            Head beforeRollback = Catalog.requireHead(store).head();
            Process p = cliProcess(dir.resolve("rollback.log"), "snapshot", "rollback", rollbackTo, "--config", config);
            Thread.sleep(300 + random.nextInt(1_200));
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(1_600);
            boolean failed = true;
            try {
                Head h = Catalog.requireHead(store).head();
                assertThat(h.snapshot()).isIn(beforeRollback.snapshot(), rollbackTo);
                assertThat(cli("snapshot", "verify", "--config", config).code()).isZero();
                failed = false;
            } finally {
                count("kill -9 during rollback", failed);
            }
        }
        // Back to the newest snapshot, so what follows starts from the head of the history.
        String newest = Catalog.snapshotIds(store).get(Catalog.snapshotIds(store).size() - 1);
        assertThat(cli("snapshot", "rollback", newest, "--config", config).code()).isZero();
        last = Catalog.requireHead(store).head();

        // Damaged HEAD: verify and build refuse by name, nothing stored is overwritten, and an
        // operator's rollback to the snapshot it named repairs it.
        for (String damage : List.of("truncated", "garbage", "leaseToken edited")) {
            Path headFile = dir.resolve("store/HEAD.json");
            String good = Files.readString(headFile);
            Files.writeString(headFile, switch (damage) {
                case "truncated" -> good.substring(0, good.length() / 2);
                case "garbage" -> "not json at all";
                default -> good.replaceFirst("\"leaseToken\" : \\d+", "\"leaseToken\" : 999");
            });
            assertThat(Files.readString(headFile)).isNotEqualTo(good);
            List<String> before = store.list("snapshots/");
            boolean failed = true;
            try {
                CliRun verify = cli("snapshot", "verify", "--config", config);
                assertThat(verify.code()).as(damage).isEqualTo(1);
                assertThat(verify.err()).as(damage).contains("corrupt HEAD").contains("HEAD.json");
                CliRun build = cli("snapshot", "build", "--config", config);
                assertThat(build.code()).as(damage).isEqualTo(1);
                assertThat(store.list("snapshots/")).isEqualTo(before);
                CliRun repair = cli("snapshot", "rollback", last.snapshot(), "--config", config);
                assertThat(repair.code()).as("rollback over a %s HEAD: %s", damage, repair.err()).isZero();
                assertThat(cli("snapshot", "verify", "--config", config).code()).isZero();
                failed = false;
            } finally {
                count("HEAD.json " + damage + ", then rollback", failed);
            }
        }

        // No change lost or applied twice: restored-from-HEAD-and-replayed equals replayed-from-1.
        try (Connection nc = nats.connect()) {
            WorkloadPublisher.publish(nc, cluster, gen::next, 3_000);
        }
        Path restored = dir.resolve("replica-head/replica.db");
        Path full = dir.resolve("replica-full/replica.db");
        Files.createDirectories(full.getParent());
        try (java.sql.Connection c = Sqlite.open(full)) {
            SqlScript.run(c, WorkloadSchema.SQL);
            PositionTable.create(c);
            c.setAutoCommit(false);
            PositionTable.write(c, Map.of(cluster.streamName(1), 0L, cluster.streamName(2), 0L));
            c.commit();
        }
        for (Path db : List.of(restored, full)) {
            TidemarkConfig cfg = TidemarkConfig.builder().cluster(cluster).natsUrls(List.of(nats.url()))
                    .storeDir(dir.resolve("store")).workDir(dir.resolve("work")).dbPath(db).build();
            try (Connection nc = nats.connect();
                 Replica r = new Replica(cfg, new JetStreamChangeSource(nc, cluster, false), store,
                         new LocalLeaseManager(dir.resolve("store/.leases")), Progress.NONE)) {
                r.recover();
                r.catchUp();
            }
        }
        boolean equal = TableRows.of(restored).equals(TableRows.of(full));
        count("replica from HEAD equals replay from seq 1", !equal);
        assertThat(TableRows.of(restored)).isEqualTo(TableRows.of(full));
        assertThat(TableRows.count(TableRows.of(full))).isPositive();
    }

    @Test
    void poisonMessages_areRefusedByStreamAndSeq_andHeadStays() throws Exception {
        Map<String, byte[]> poisons = new LinkedHashMap<>();
        poisons.put("not CBOR", new byte[]{(byte) 0xff, 0x00, 0x13});
        poisons.put("not zstd (compressed stream)", "plain text where a zstd frame belongs".getBytes());
        poisons.put("unknown table", io.tidemark.core.change.ChangeCodec.encode(1, 1,
                io.tidemark.core.change.ChangeType.INSERT, "no_such_table", Map.of("id", 1L), null, false));
        poisons.put("no Payload", io.tidemark.core.change.Cbor.encode(Map.of("FromNodeId", 1L)));
        int n = 0;
        for (Map.Entry<String, byte[]> poison : poisons.entrySet()) {
            boolean compressed = poison.getKey().contains("zstd") || n % 2 == 1;
            String prefix = "poison" + n++;
            ClusterConfig cluster = ClusterConfig.defaults().withPrefixes(prefix, prefix + "-change")
                    .withCompressed(compressed);
            Path dir = Files.createTempDirectory(nats.tempDir(), prefix);
            Path schema = Files.writeString(dir.resolve("schema.sql"), WorkloadSchema.SQL);
            String[] flags = {"--nats-url", nats.url(), "--stream-prefix", prefix, "--subject-prefix", prefix + "-change",
                    "--compress", Boolean.toString(compressed), "--store", dir.resolve("store").toString(),
                    "--work-dir", dir.resolve("work").toString()};
            boolean failed = true;
            try {
                assertThat(cli(concat(new String[]{"snapshot", "seed", "--schema", schema.toString()}, flags)).code()).isZero();
                try (Connection nc = nats.connect()) {
                    WorkloadPublisher.publish(nc, cluster, new WorkloadGenerator(cluster, 1, 64)::next, 500);
                    byte[] body = poison.getValue();
                    if (compressed && !poison.getKey().contains("zstd")) {
                        body = com.github.luben.zstd.Zstd.compress(body);
                    }
                    nc.jetStream().publish(cluster.subject(1), body);
                }
                LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("store"));
                Head before = Catalog.requireHead(store).head();
                CliRun build = cli(concat(new String[]{"snapshot", "build"}, flags));
                assertThat(build.code()).as(poison.getKey()).isEqualTo(1);
                assertThat(build.out() + build.err()).as(poison.getKey()).contains(cluster.streamName(1))
                        .contains("501");
                assertThat(Catalog.requireHead(store).head()).isEqualTo(before);
                assertThat(cli(concat(new String[]{"snapshot", "verify"}, flags)).code()).isZero();
                failed = false;
            } finally {
                count("poison: " + poison.getKey() + (compressed ? ", compressed" : ""), failed);
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private static List<Path> scratchLeft(Path work) throws Exception {
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(p -> p.getFileName().toString().startsWith("build-")).toList();
        }
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
