package io.tidemark.core.restore;

import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.snapshot.Sqlite;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A content digest per user table: every row in primary-key (or rowid) order, every value with its
 * SQLite storage class. Two databases with equal digests hold the same rows, value for value.
 */
public final class DatabaseDigest {
    private DatabaseDigest() {}

    /** Row count and sha256 of one table. */
    public record TableDigest(long rows, String sha256) {}

    public static Map<String, TableDigest> of(Connection c) throws SQLException {
        Map<String, TableDigest> out = new TreeMap<>();
        for (String table : Sqlite.userTables(c)) {
            out.put(table, table(c, table));
        }
        return out;
    }

    private static TableDigest table(Connection c, String table) throws SQLException {
        String q = '"' + table.replace("\"", "\"\"") + '"';
        List<String> pk = primaryKey(c, q);
        String sql = pk.isEmpty() ? "SELECT rowid, * FROM " + q + " ORDER BY rowid"
                : "SELECT * FROM " + q + " ORDER BY " + String.join(", ", pk);
        MessageDigest d = Hashing.sha256();
        long rows = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= n; i++) {
                    update(d, rs.getObject(i));
                }
                d.update((byte) '\n');
            }
        }
        return new TableDigest(rows, Hashing.hex(d));
    }

    private static void update(MessageDigest d, Object v) {
        if (v == null) {
            d.update((byte) 'N');
        } else if (v instanceof Integer || v instanceof Long) {
            d.update((byte) 'I');
            d.update(ByteBuffer.allocate(8).putLong(((Number) v).longValue()).array());
        } else if (v instanceof Double || v instanceof Float) {
            d.update((byte) 'R');
            d.update(ByteBuffer.allocate(8).putDouble(((Number) v).doubleValue()).array());
        } else if (v instanceof byte[] b) {
            d.update((byte) 'B');
            d.update(ByteBuffer.allocate(4).putInt(b.length).array());
            d.update(b);
        } else {
            byte[] b = v.toString().getBytes(StandardCharsets.UTF_8);
            d.update((byte) 'T');
            d.update(ByteBuffer.allocate(4).putInt(b.length).array());
            d.update(b);
        }
    }

    private static List<String> primaryKey(Connection c, String quotedTable) throws SQLException {
        TreeMap<Integer, String> pk = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + quotedTable + ")")) {
            while (rs.next()) {
                if (rs.getInt("pk") > 0) {
                    pk.put(rs.getInt("pk"), '"' + rs.getString("name").replace("\"", "\"\"") + '"');
                }
            }
        }
        return new ArrayList<>(pk.values());
    }
}
