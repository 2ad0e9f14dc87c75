package io.tidemark.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.change.ChangeEvent;
import io.tidemark.core.change.ChangeType;
import io.tidemark.core.change.GoTime;
import io.tidemark.core.change.SequenceGapException;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.snapshot.SqlScript;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplierTest {
    @TempDir
    Path dir;
    private Connection conn;
    private Applier applier;

    @BeforeEach
    void open() throws Exception {
        conn = Sqlite.open(dir.resolve("db.sqlite"));
        SqlScript.run(conn, "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                + "CREATE TABLE o (a INTEGER, b TEXT, v REAL, PRIMARY KEY (a, b));"
                + "CREATE TABLE log (msg TEXT);"
                + "CREATE TABLE n (k TEXT PRIMARY KEY, v TEXT);"
                + "CREATE TABLE tt (id INTEGER PRIMARY KEY, at DATETIME);");
        applier = new Applier(conn);
    }

    private static ChangeEvent ev(ChangeType t, String table, Object... kv) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put((String) kv[i], kv[i + 1]);
        }
        return new ChangeEvent(1, 1, t, table, row, null);
    }

    private List<String> rows(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = conn.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Test
    void upsertsAndDeletes_inStreamOrder_acrossStatements() throws Exception {
        applier.apply("s", 1, ev(ChangeType.INSERT, "u", "id", 1L, "name", "a"));
        applier.apply("s", 2, ev(ChangeType.DELETE, "u", "id", 1L, "name", "a"));
        applier.apply("s", 3, ev(ChangeType.INSERT, "u", "id", 1L, "name", "b"));
        applier.apply("t", 1, ev(ChangeType.INSERT, "u", "id", 2L, "name", "c"));
        applier.apply("s", 4, ev(ChangeType.UPDATE, "u", "id", 2L, "name", "d"));
        applier.apply("s", 5, ev(ChangeType.INSERT, "o", "a", 1L, "b", "x", "v", 1.5));
        applier.apply("s", 6, ev(ChangeType.INSERT, "o", "a", 1L, "b", "y", "v", 2.5));
        applier.apply("s", 7, ev(ChangeType.DELETE, "o", "a", 1L, "b", "x", "v", 1.5));
        applier.apply("s", 8, ev(ChangeType.INSERT, "log", "rowid", 10L, "msg", "m10"));
        applier.apply("s", 9, ev(ChangeType.INSERT, "log", "rowid", 11L, "msg", "m11"));
        applier.apply("s", 10, ev(ChangeType.DELETE, "log", "rowid", 10L, "msg", "m10"));
        applier.commit();
        assertThat(rows("SELECT id, name FROM u ORDER BY id")).containsExactly("1|b", "2|d");
        assertThat(rows("SELECT a, b, v FROM o")).containsExactly("1|y|2.5");
        assertThat(rows("SELECT rowid, msg FROM log")).containsExactly("11|m11");
        assertThat(PositionTable.read(conn)).containsEntry("s", 10L).containsEntry("t", 1L);
    }

    @Test
    void redeliveries_areSkipped_gapsThrow() {
        assertThat(applier.apply("s", 1, ev(ChangeType.INSERT, "u", "id", 1L, "name", "a"))).isTrue();
        assertThat(applier.apply("s", 1, ev(ChangeType.INSERT, "u", "id", 1L, "name", "zzz"))).isFalse();
        assertThatThrownBy(() -> applier.apply("s", 3, ev(ChangeType.INSERT, "u", "id", 3L, "name", "c")))
                .isInstanceOf(SequenceGapException.class).hasMessageContaining("seq 1").hasMessageContaining("3");
    }

    @Test
    void positionsCommitWithTheChanges_andRollBackWithThem() throws Exception {
        applier.apply("s", 1, ev(ChangeType.INSERT, "u", "id", 1L, "name", "a"));
        applier.commit();
        applier.apply("s", 2, ev(ChangeType.INSERT, "u", "id", 2L, "name", "b"));
        applier.rollback();
        assertThat(applier.position("s")).isEqualTo(1);
        assertThat(rows("SELECT id FROM u")).containsExactly("1");
        Applier reopened = new Applier(conn);
        assertThat(reopened.position("s")).isEqualTo(1);
    }

    @Test
    void unknownTableOrColumn_namesItAndThePosition() {
        assertThatThrownBy(() -> applier.apply("s", 1, ev(ChangeType.INSERT, "nope", "id", 1L)))
                .isInstanceOf(UnknownTableException.class).hasMessageContaining("'nope'").hasMessageContaining("s seq 1");
        assertThatThrownBy(() -> applier.apply("s", 1, ev(ChangeType.INSERT, "u", "id", 1L, "extra", 1L)))
                .isInstanceOf(UnknownColumnException.class).hasMessageContaining("column 'extra'");
        assertThatThrownBy(() -> applier.apply("s", 1, ev(ChangeType.INSERT, "_tidemark_positions", "stream", "x")))
                .hasMessageContaining("Tidemark's own table");
        assertThat(applier.position("s")).isZero();
    }

    @Test
    void columnsInAnyOrderOrSubset_bindToTheirOwnColumns() throws Exception {
        SqlScript.run(conn, "CREATE TABLE w (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c REAL DEFAULT 9.5);");
        applier.commit();
        applier.apply("s", 1, ev(ChangeType.INSERT, "w", "c", 1.5, "b", 2L, "a", "x", "id", 1L));
        applier.apply("s", 2, ev(ChangeType.INSERT, "w", "a", "y", "id", 2L, "c", 2.5, "b", 3L));
        applier.apply("s", 3, ev(ChangeType.INSERT, "w", "b", 4L, "id", 3L)); // a subset: defaults for the rest
        applier.apply("s", 4, ev(ChangeType.INSERT, "log", "msg", "m", "ROWID", 7L)); // rowid in any case
        applier.commit();
        assertThat(rows("SELECT id, a, b, c FROM w ORDER BY id"))
                .containsExactly("1|x|2|1.5", "2|y|3|2.5", "3|null|4|9.5");
        assertThat(rows("SELECT rowid, msg FROM log")).containsExactly("7|m");
    }

    @Test
    void aRowNamingTheRowidTwice_isRejectedNamingIt() {
        assertThatThrownBy(() -> applier.apply("s", 1, ev(ChangeType.INSERT, "log", "rowid", 1L, "ROWID", 2L)))
                .isInstanceOf(UnknownColumnException.class).hasMessageContaining("'ROWID'").hasMessageContaining("twice")
                .hasMessageContaining("s seq 1");
        assertThat(applier.position("s")).isZero();
    }

    @Test
    void constraintFailure_namesTheStreamAndRange() {
        applier.apply("s", 1, ev(ChangeType.INSERT, "u", "id", 1L, "name", null));
        assertThatThrownBy(applier::commit).isInstanceOf(ReplayException.class).hasMessageContaining("s seqs 1..1")
                .hasMessageContaining("NOT NULL");
    }

    @Test
    void deleteWithNullKey_deletesTheNullKeyRows_asHarmonyLitesIsNull() throws Exception {
        applier.apply("s", 1, ev(ChangeType.INSERT, "n", "k", null, "v", "first"));
        applier.apply("s", 2, ev(ChangeType.INSERT, "n", "k", null, "v", "second")); // NULLs never collide
        applier.apply("s", 3, ev(ChangeType.INSERT, "n", "k", "x", "v", "kept"));
        applier.apply("s", 4, ev(ChangeType.DELETE, "n", "k", null, "v", "first"));
        applier.commit();
        assertThat(rows("SELECT k, v FROM n")).containsExactly("x|kept");
        applier.apply("s", 5, ev(ChangeType.DELETE, "n", "k", "x", "v", "kept"));
        applier.commit();
        assertThat(rows("SELECT count(*) FROM n")).containsExactly("0");
    }

    @Test
    void times_areStoredAsGoSqlite3TextInTheNodesZone_zeroTimeAsNull() throws Exception {
        Applier kolkata = new Applier(conn, ZoneId.of("Asia/Kolkata"));
        kolkata.apply("s", 1, ev(ChangeType.INSERT, "tt", "id", 1L, "at", Instant.parse("2024-03-10T07:04:56Z")));
        kolkata.apply("s", 2, ev(ChangeType.INSERT, "tt", "id", 2L, "at", GoTime.ZeroTime.VALUE));
        kolkata.commit();
        assertThat(rows("SELECT id, typeof(at), at FROM tt ORDER BY id"))
                .containsExactly("1|text|2024-03-10 12:34:56+05:30", "2|null|null");
    }

    @Test
    void nanIsStoredAsNull_infinitiesAsReals() throws Exception {
        applier.apply("s", 1, ev(ChangeType.INSERT, "o", "a", 1L, "b", "nan", "v", Double.NaN));
        applier.apply("s", 2, ev(ChangeType.INSERT, "o", "a", 1L, "b", "inf", "v", Double.POSITIVE_INFINITY));
        applier.apply("s", 3, ev(ChangeType.INSERT, "o", "a", 1L, "b", "-inf", "v", Double.NEGATIVE_INFINITY));
        applier.commit();
        assertThat(rows("SELECT b, typeof(v), v FROM o ORDER BY rowid"))
                .containsExactly("nan|null|null", "inf|real|Inf", "-inf|real|-Inf");
    }

    @Test
    void aFullDatabase_saysTheDiskIsFull_andNamesTheFile() throws Exception {
        // SQLite's page limit gives the same SQLITE_FULL a full disk does.
        SqlScript.run(conn, "PRAGMA max_page_count = 60;"); // about 240 KB
        String big = "x".repeat(4000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            for (long i = 1; i <= 200; i++) {
                applier.apply("s", i, ev(ChangeType.INSERT, "n", "k", "k" + i, "v", big));
            }
            applier.commit();
        }).isInstanceOf(ReplayException.class)
                .hasMessageContaining("disk full")
                .hasMessageContaining(dir.resolve("db.sqlite").toString())
                .hasMessageNotContaining("rollback");
    }
}
