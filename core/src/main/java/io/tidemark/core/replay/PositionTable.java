package io.tidemark.core.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applied stream positions, kept inside the replica's own database so they commit in the same
 * transaction as the changes (exactly once). The {@code _tidemark_} prefix keeps it out of
 * snapshots: the snapshot writer drops it, and the manifest carries positions instead.
 */
public final class PositionTable {
    public static final String NAME = "_tidemark_positions";
    /** Tables of this prefix are Tidemark's own bookkeeping, never user data. */
    public static final String INTERNAL_PREFIX = "_tidemark_";

    private PositionTable() {}

    public static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + NAME
                    + " (stream TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID");
        }
    }

    /**
     * Marks a database as Tidemark's at the start of every stream (an empty position table): a
     * replica then replays it from sequence 1 instead of treating it as a file of unknown content.
     */
    public static void createAtStart(Connection c) throws SQLException {
        create(c);
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    /** True when the database carries Tidemark's positions (a Tidemark replica's own file). */
    public static boolean exists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet exists = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type='table' AND name='" + NAME + "'")) {
            return exists.next();
        }
    }

    /** The positions; empty when the table is absent. */
    public static Map<String, Long> read(Connection c) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        if (!exists(c)) {
            return out;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT stream, seq FROM " + NAME)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** Writes positions within the caller's transaction. */
    public static void write(Connection c, Map<String, Long> positions) throws SQLException {
        create(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO " + NAME + " (stream, seq) VALUES (?, ?)")) {
            for (Map.Entry<String, Long> e : positions.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setLong(2, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
