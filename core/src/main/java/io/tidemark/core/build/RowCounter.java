package io.tidemark.core.build;

import io.tidemark.core.snapshot.Sqlite;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Row counts for the manifest without scanning the database: temporary triggers count every row
 * inserted and deleted while the changes are applied (with {@code recursive_triggers} on, the rows
 * an {@code INSERT OR REPLACE} replaces fire the delete trigger, so a replacement counts zero).
 * They live in the connection's temp schema: the database file does not change. A trigger costs
 * each change about what a scan costs a page, so a build with more changes than the database has
 * pages counts the tables it touched with {@code count(*)} instead.
 */
final class RowCounter {
    private static final String TABLE = "temp.tidemark_row_delta";
    private final boolean triggers;

    private RowCounter(boolean triggers) {
        this.triggers = triggers;
    }

    /** Installs the triggers when {@code changes} is below {@code databasePages}. */
    static RowCounter install(Connection conn, long changes, long databasePages) throws SQLException {
        if (changes >= databasePages) {
            return new RowCounter(false);
        }
        Sqlite.exec(conn, "PRAGMA recursive_triggers=ON",
                "CREATE TEMP TABLE tidemark_row_delta (t TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID");
        int i = 0;
        for (String table : Sqlite.userTables(conn)) {
            String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
            String literal = "'" + table.replace("'", "''") + "'";
            Sqlite.exec(conn, "INSERT INTO " + TABLE + " VALUES (" + literal + ", 0)",
                    "CREATE TEMP TRIGGER tidemark_ins_" + i + " AFTER INSERT ON main." + quoted
                            + " BEGIN UPDATE " + TABLE + " SET n = n + 1 WHERE t = " + literal + "; END",
                    "CREATE TEMP TRIGGER tidemark_del_" + i + " AFTER DELETE ON main." + quoted
                            + " BEGIN UPDATE " + TABLE + " SET n = n - 1 WHERE t = " + literal + "; END");
            i++;
        }
        conn.commit();
        return new RowCounter(true);
    }

    /** The counts after the changes: {@code before} moved by the deltas, or touched tables counted. */
    Map<String, Long> counts(Connection conn, Map<String, Long> before, Collection<String> touched) throws SQLException {
        Map<String, Long> counts = new TreeMap<>(before);
        if (!triggers) {
            for (String table : touched) {
                counts.put(table, Sqlite.rowCount(conn, table));
            }
            return counts;
        }
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT t, n FROM " + TABLE)) {
            while (rs.next()) {
                counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
        return counts;
    }
}
