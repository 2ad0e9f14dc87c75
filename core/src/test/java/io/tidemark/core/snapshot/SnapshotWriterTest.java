package io.tidemark.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.restore.DatabaseDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotWriterTest {
    @TempDir
    Path dir;

    private static List<String> names(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery("SELECT type || ':' || name FROM sqlite_master ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void dropsBookkeeping_keepsRowids_hashesWhatItWrote() throws Exception {
        Path src = dir.resolve("src.db");
        try (Connection c = Sqlite.open(src)) {
            SqlScript.run(c, String.join("\n",
                    "CREATE TABLE t (x TEXT);",
                    "CREATE TABLE u (id INTEGER PRIMARY KEY, y BLOB);",
                    "CREATE TABLE __harmonylite___change_log_global (id INTEGER PRIMARY KEY, t TEXT);",
                    "CREATE TABLE _tidemark_positions (stream TEXT PRIMARY KEY, seq INTEGER);",
                    "CREATE TRIGGER __harmonylite__t_change_log_on_insert AFTER INSERT ON t BEGIN",
                    "  INSERT INTO __harmonylite___change_log_global (t) VALUES ('t'); END;",
                    "INSERT INTO t (rowid, x) VALUES (5, 'a'), (9, 'b'), (12, 'c');",
                    "DELETE FROM t WHERE rowid = 9;",
                    "INSERT INTO u (id, y) VALUES (1, x'00ff');"));
            SnapshotFile f = SnapshotWriter.defaults().write(c, dir.resolve("out"));
            assertThat(f.tables()).containsExactly(java.util.Map.entry("t", 2L), java.util.Map.entry("u", 1L));
            assertThat(f.rawSha256()).isEqualTo(Hashing.sha256(f.raw()));
            assertThat(f.sha256()).isEqualTo(Hashing.sha256(f.compressed()));
            assertThat(f.rawBytes()).isEqualTo(Files.size(f.raw()));
            try (Connection copy = Sqlite.open(f.raw())) {
                assertThat(names(copy)).containsExactly("table:t", "table:u");
                try (ResultSet rs = copy.createStatement().executeQuery("SELECT rowid FROM t ORDER BY rowid")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(5);
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(12);
                }
                assertThat(DatabaseDigest.of(copy)).isEqualTo(DatabaseDigest.of(c));
            }
            assertThat(names(c)).contains("trigger:__harmonylite__t_change_log_on_insert"); // source untouched
        }
    }

    @Test
    void sqlScript_keepsTriggerBodiesAndQuotedSemicolonsTogether() {
        List<String> parts = SqlScript.split("CREATE TABLE a (x TEXT DEFAULT ';'); -- a comment; here\n"
                + "CREATE TRIGGER tr AFTER INSERT ON a BEGIN INSERT INTO a VALUES ('x'); DELETE FROM a; END;\n"
                + "/* block; comment */ SELECT 1");
        assertThat(parts).hasSize(3);
        assertThat(parts.get(1)).startsWith("CREATE TRIGGER").endsWith("END");
    }
}
