package io.tidemark.core.replay;

import io.tidemark.core.change.ChangeEvent;
import io.tidemark.core.change.ChangeType;
import io.tidemark.core.change.GoTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The reference: each change run on its own, in stream order, autocommitted; and a row-for-row dump. */
final class PlainReplay {
    private PlainReplay() {}

    static void apply(Connection c, ChangeEvent e, List<String> key) throws SQLException {
        List<String> cols = new ArrayList<>(e.type() == ChangeType.DELETE ? key : e.row().keySet());
        String sql = e.type() == ChangeType.DELETE
                ? "DELETE FROM \"" + e.table() + "\" WHERE " + String.join(" IS ? AND ", cols) + " IS ?"
                : "INSERT OR REPLACE INTO \"" + e.table() + "\" (" + String.join(", ", cols) + ") VALUES ("
                + "?, ".repeat(cols.size() - 1) + "?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < cols.size(); i++) {
                ps.setObject(i + 1, GoTime.sqlValue(e.row().get(cols.get(i)), ZoneOffset.UTC));
            }
            ps.executeUpdate();
        }
    }

    /** Every table's rows with their rowids (where the table has them), sqlite_sequence included. */
    static List<String> dump(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, wr FROM pragma_table_list WHERE schema = 'main'"
                     + " AND type = 'table' AND name NOT LIKE '\\_tidemark\\_%' ESCAPE '\\' ORDER BY name")) {
            while (rs.next()) {
                tables.add(rs.getString(1) + (rs.getInt(2) == 1 ? "" : "\0rowid"));
            }
        }
        for (String t : tables) {
            String name = t.replace("\0rowid", "");
            String sql = t.endsWith("\0rowid") ? "SELECT rowid, * FROM \"" + name + "\" ORDER BY rowid"
                    : "SELECT * FROM \"" + name + "\" ORDER BY 1, 2";
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder(name).append(':');
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        sb.append(i > 1 ? "|" : "").append(v instanceof byte[] b ? "x'" + HexFormat.of().formatHex(b) + "'"
                                : v == null ? "NULL" : v + ":" + v.getClass().getSimpleName());
                    }
                    out.add(sb.toString());
                }
            }
        }
        return out;
    }

    static Map<String, List<String>> keys(Connection c, List<String> tables) throws SQLException {
        Map<String, List<String>> keys = new java.util.HashMap<>();
        for (String t : tables) {
            keys.put(t, TableShape.read(c, t).primaryKey());
        }
        return keys;
    }
}
