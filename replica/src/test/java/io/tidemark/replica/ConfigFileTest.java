package io.tidemark.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(c.storeDir()).isEqualTo(dir.resolve("snaps"));
        assertThat(c.leases()).isEqualTo(dir.resolve("snaps/.leases"));
        assertThat(c.retention().keepLast()).isEqualTo(9);
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void wrongConfig_namesTheKey() {
        assertThatThrownBy(() -> load("[replication_log]\nshard = 2\n")).hasMessageContaining("replication_log.shard");
        assertThatThrownBy(() -> load("[replication_log]\nshards = \"two\"\n")).hasMessageContaining("shards must be an integer");
        assertThatThrownBy(() -> load("[replication_log]\nshards = 0\n")).hasMessageContaining("shards must be between");
        assertThatThrownBy(() -> load("[nats]\nurls = [\"http://x\"]\n")).hasMessageContaining("not a NATS url");
        assertThatThrownBy(() -> load("[snapshot]\nstore = \"s4\"\n")).hasMessageContaining("snapshot.store 's4'");
        assertThatThrownBy(() -> load("this is = = not toml")).hasMessageContaining("not readable TOML");
    }
}
