package io.tidemark.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteTest {
    @TempDir
    Path dir;

    private static String pragma(Connection c, String name) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private Path database(long blobBytes) throws SQLException {
        Path db = dir.resolve("db-" + blobBytes + ".sqlite");
        try (Connection c = Sqlite.openScratch(db)) {
            Sqlite.exec(c, "CREATE TABLE b (x BLOB)", "INSERT INTO b VALUES (zeroblob(" + blobBytes + "))");
        }
        return db;
    }

    @Test
    void aBuild_runsWithNoJournal_cachesASmallDatabaseWhole_andALargeOneInItsBoundedCache() throws Exception {
        Path small = database(1 << 20);
        Path large = database(Sqlite.CACHE_KIB * 1024L + (1 << 20));
        assertThat(Files.size(large)).isGreaterThan(Sqlite.CACHE_KIB * 1024L);
        try (Connection c = Sqlite.openForBuild(small)) {
            assertThat(pragma(c, "cache_size")).isEqualTo("-" + Sqlite.CACHE_KIB);
            assertThat(pragma(c, "journal_mode")).isEqualTo("off");
            assertThat(pragma(c, "synchronous")).isEqualTo("0");
        }
        try (Connection c = Sqlite.openForBuild(large)) {
            assertThat(pragma(c, "cache_size")).isEqualTo("-" + Sqlite.BUILD_CACHE_KIB);
        }
    }

    @Test
    void aBuildOnAMissingDatabase_failsNamingIt() {
        Path missing = dir.resolve("missing.sqlite");
        assertThatThrownBy(() -> Sqlite.openForBuild(missing)).isInstanceOf(SQLException.class)
                .hasMessageContaining(missing.toString());
        assertThat(missing).doesNotExist();
    }

    @Test
    void aDatabaseInWalMode_asBuildsBeforeFingerprintsStoredIt_opensForABuildWithNoJournal() throws Exception {
        Path db = dir.resolve("wal.sqlite");
        try (Connection c = Sqlite.openLive(db)) {
            Sqlite.exec(c, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)", "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        assertThat(Files.readAllBytes(db)[18]).as("header: WAL").isEqualTo((byte) 2);
        try (Connection c = Sqlite.openForBuild(db)) {
            assertThat(pragma(c, "journal_mode")).isEqualTo("off");
            Sqlite.exec(c, "INSERT INTO t VALUES (2)");
        }
        assertThat(Files.readAllBytes(db)[18]).as("header: rollback journal").isEqualTo((byte) 1);
        assertThat(Files.exists(dir.resolve("wal.sqlite-wal"))).isFalse();
        try (Connection c = Sqlite.open(db); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
            assertThat(pragma(c, "quick_check")).isEqualTo("ok");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }
}
