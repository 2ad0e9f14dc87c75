package io.tidemark.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.backends.jetstream.NatsAuth;
import io.tidemark.backends.jetstream.NatsSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    private TidemarkConfig load(String toml) throws Exception {
        Path f = dir.resolve("c.toml");
        Files.writeString(f, toml);
        TidemarkConfig.Builder b = TidemarkConfig.builder();
        ConfigFile.apply(f, b);
        return b.build();
    }

    @Test
    void readsHarmonyLiteKeys_andIgnoresTheOnesTidemarkDoesNotUse() throws Exception {
        TidemarkConfig c = load(String.join("\n", "db_path = \"data/r.db\"", "node_id = 1", "publish = true",
                "[replication_log]", "shards = 4", "max_entries = 5000", "compress = true", "replicas = 3",
                "[nats]", "urls = [\"nats://10.0.0.1:4222\", \"nats://10.0.0.2:4222\"]", "stream_prefix = \"app\"",
                "subject_prefix = \"app-change\"", "user_name = \"u\"", "user_password = \"secret\"",
                "[snapshot]", "enabled = true", "store = \"file\"", "leader_ttl = 5000", "[snapshot.file]",
                "path = \"snaps\"", "[snapshot.retention]", "keep_last = 9", "[logging]", "verbose = true"));
        assertThat(c.dbPath()).isEqualTo(dir.resolve("data/r.db"));
        assertThat(c.cluster().streamName(4)).isEqualTo("app-c-4");
        assertThat(c.cluster().subject(2)).isEqualTo("app-change-2");
        assertThat(c.cluster().maxEntries()).isEqualTo(5000);
        assertThat(c.natsUrls()).hasSize(2);
        assertThat(c.store()).isEqualTo(new StoreSpec.Folder(dir.resolve("snaps")));
        assertThat(c.leaseOrDefault()).isEqualTo(new LeaseSpec.Folder(dir.resolve("snaps/.leases")));
        assertThat(c.retention().keepLast()).isEqualTo(9);
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void paths_areRelativeToTheFile_andNormalised() throws Exception {
        TidemarkConfig c = load("db_path = \"../data/./r.db\"\n[snapshot]\nstore = \"file\"\n[snapshot.file]\npath = \"../s\"\n");
        assertThat(c.dbPath()).isEqualTo(dir.getParent().resolve("data/r.db"));
        assertThat(c.store()).isEqualTo(new StoreSpec.Folder(dir.getParent().resolve("s")));
    }

    @Test
    void wrongConfig_namesTheKey() throws Exception {
        assertThatThrownBy(() -> load("[replication_log]\nshard = 2\n")).hasMessageContaining("replication_log.shard");
        assertThatThrownBy(() -> load("[replication_log]\nshards = \"two\"\n")).hasMessageContaining("shards must be an integer");
        assertThatThrownBy(() -> load("[replication_log]\nshards = 0\n")).hasMessageContaining("shards must be between");
        assertThatThrownBy(() -> load("[nats]\nurls = [\"http://x\"]\n")).hasMessageContaining("not a NATS url");
        assertThatThrownBy(() -> load("[snapshot]\nstore = \"s4\"\n")).hasMessageContaining("snapshot.store 's4'");
        assertThatThrownBy(() -> load("this is = = not toml")).hasMessageContaining("not readable TOML");
        assertThatThrownBy(() -> load("[nats]\nurls = \"nats://x:4222\"\n")).hasMessageContaining("nats.urls must be an array");
        assertThatThrownBy(() -> load("[snapshot]\nstore = \"s3\"\n")).hasMessageContaining("snapshot.s3.bucket is required");
        assertThatThrownBy(() -> load("[snapshot]\nstore = \"sftp\"\n")).hasMessageContaining("snapshot.sftp.url is required");
        assertThatThrownBy(() -> load("[snapshot.lease]\ntype = \"zk\"\n")).hasMessageContaining("snapshot.lease.type 'zk'");
        assertThatThrownBy(() -> load("time_zone = \"Mars/Olympus\"\n")).hasMessageContaining("time_zone 'Mars/Olympus'");
        assertThat(load("time_zone = \"Asia/Kolkata\"\n").cluster().timeZone()).isEqualTo(java.time.ZoneId.of("Asia/Kolkata"));
    }

    @Test
    void aConfigWithoutKeys_hasHarmonyLitesDefaults_storeNatsAndTheSharedLease() throws Exception {
        TidemarkConfig c = load("db_path = \"node.db\"\n");
        assertThat(c.cluster().streamNames()).containsExactly("harmonylite-changes-c-1");
        assertThat(c.cluster().subject(1)).isEqualTo("harmonylite-change-log-1");
        assertThat(c.cluster().maxEntries()).isEqualTo(1024);
        assertThat(c.store()).isEqualTo(new StoreSpec.Nats("harmonylite-changes-snapshot-store"));
        assertThat(c.leaseOrDefault()).isEqualTo(new LeaseSpec.NatsKv("e-harmonylite"));
    }

    @Test
    void harmonyLiteStoreTables_becomeTheirStores() throws Exception {
        TidemarkConfig s3 = load(String.join("\n", "[snapshot]", "store = \"s3\"", "[snapshot.s3]",
                "endpoint = \"127.0.0.1:9000\"", "bucket = \"snaps\"", "path = \"/cluster-a/\"",
                "access_key = \"AK\"", "secret = \"SK\"", "use_ssl = false"));
        assertThat(s3.store()).isEqualTo(new StoreSpec.S3("snaps", "cluster-a", "http://127.0.0.1:9000", "AK", "SK", null));
        assertThat(s3.toString()).doesNotContain("SK");
        TidemarkConfig nats = load("[nats]\nstream_prefix = \"app\"\n[snapshot]\nstore = \"nats\"\n");
        assertThat(nats.store()).isEqualTo(new StoreSpec.Nats("app-snapshot-store"));
        TidemarkConfig sftp = load("[snapshot]\nstore = \"sftp\"\n[snapshot.sftp]\nurl = \"sftp://u:pw@h:22/snaps\"\n");
        assertThat(sftp.store()).isEqualTo(new StoreSpec.Sftp("sftp://u:pw@h:22/snaps"));
        assertThat(sftp.toString()).doesNotContain("pw");
        TidemarkConfig dav = load("[snapshot]\nstore = \"webdav\"\n[snapshot.webdav]\n"
                + "url = \"http://h/dav?dir=/s&login=u&secret=pw\"\n");
        assertThat(dav.store()).isEqualTo(new StoreSpec.WebDav("http://h/dav?dir=/s&login=u&secret=pw"));
        assertThat(dav.toString()).doesNotContain("pw");
        TidemarkConfig lease = load("[snapshot.lease]\ntype = \"dynamodb\"\ntable = \"leases\"\n");
        assertThat(lease.leaseOrDefault()).isEqualTo(new LeaseSpec.DynamoDb("leases", null));
    }

    @Test
    void natsTlsAndCredsFiles_areReadRelativeToTheFile_andACertNeedsItsKey() throws Exception {
        TidemarkConfig c = load("[nats]\nca_file = \"tls/ca.pem\"\ncert_file = \"tls/c.pem\"\nkey_file = \"tls/k.pem\"\n"
                + "creds_file = \"/etc/nats/tidemark.creds\"\n");
        assertThat(c.natsSecurity()).isEqualTo(new NatsSecurity(dir.resolve("tls/ca.pem"), dir.resolve("tls/c.pem"),
                dir.resolve("tls/k.pem"), new NatsAuth.CredsFile(Path.of("/etc/nats/tidemark.creds"), "nats.creds_file")));
        assertThat(load("[nats]\nca_file = \"\"\n").natsSecurity().tls()).isFalse(); // HarmonyLite's empty default
        assertThatThrownBy(() -> load("[nats]\ncert_file = \"c.pem\"\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cert_file and nats.key_file go together");
    }

    @Test
    void natsAuth_isHonouredFromEveryKey_includingHarmonyLitesSeedFile_andTwoKindsAreAnError() throws Exception {
        assertThat(load("[nats]\nuser_name = \"u\"\nuser_password = \"pw\"\n").natsSecurity().auth())
                .isEqualTo(new NatsAuth.UserPassword("u", "pw", "nats.user_name"));
        assertThat(load("[nats]\ntoken = \"t0k3n-value\"\n").natsSecurity().auth())
                .isEqualTo(new NatsAuth.Token("t0k3n-value", "nats.token"));
        assertThat(load("[nats]\nseed_file = \"keys/user.nk\"\n").natsSecurity().auth())
                .isEqualTo(new NatsAuth.NkeySeedFile(dir.resolve("keys/user.nk"), "nats.seed_file"));
        assertThat(load("[nats]\nseed_file = \"\"\nuser_name = \"\"\n").natsSecurity().auth().isNone()).isTrue();
        assertThatThrownBy(() -> load("[nats]\nuser_name = \"u\"\ntoken = \"t\"\n"))
                .hasMessageContaining("nats.user_name and nats.token").hasMessageContaining("keep exactly one");
        TidemarkConfig withToken = load("[nats]\ntoken = \"t0k3n-value\"\n");
        assertThat(withToken.toString()).doesNotContain("t0k3n-value").contains("nats.token");
    }

    @Test
    void variables_expandFromTheEnvironment_withDefaults_butNotInComments() throws Exception {
        Path f = dir.resolve("v.toml");
        Files.writeString(f, String.join("\n", "# ${NOT_SET_ANYWHERE} in a comment is not a value",
                "db_path = \"${DATA}/r.db\"", "[nats]", "urls = [\"${NATS_URL}\", \"${OTHER:-nats://b:4222}\"]"));
        TidemarkConfig.Builder b = TidemarkConfig.builder();
        ConfigFile.apply(f, b, java.util.Map.of("DATA", "/srv/data", "NATS_URL", "nats://a:4222"));
        TidemarkConfig c = b.build();
        assertThat(c.dbPath()).isEqualTo(Path.of("/srv/data/r.db"));
        assertThat(c.natsUrls()).containsExactly("nats://a:4222", "nats://b:4222");

        TidemarkConfig.Builder missing = TidemarkConfig.builder();
        assertThatThrownBy(() -> ConfigFile.apply(f, missing, java.util.Map.of("DATA", "/srv")))
                .hasMessageContaining("nats.urls uses ${NATS_URL}, which is not set");
    }
}
