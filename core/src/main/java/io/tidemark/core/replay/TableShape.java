package io.tidemark.core.replay;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.sql.PreparedStatement;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * A table's columns and primary key as the database declares them (events do not carry schema), and
 * its upsert statements by sorted column list.
 */
record TableShape(String name, Set<String> columns, List<String> primaryKey,
                  Map<List<String>, PreparedStatement> upserts) {
    /** Tables without a declared primary key are keyed by rowid, which their events carry. */
    static final String ROWID = "rowid";

    static TableShape read(Connection c, String table) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        TreeMap<Integer, String> pk = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA table_info(" + quote(table) + ")")) {
            while (rs.next()) {
                String col = rs.getString("name");
                columns.add(col);
                int pkIndex = rs.getInt("pk");
                if (pkIndex > 0) {
                    pk.put(pkIndex, col);
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        List<String> key = pk.isEmpty() ? List.of(ROWID) : List.copyOf(new ArrayList<>(pk.values()));
        return new TableShape(table, Collections.unmodifiableSet(columns), key, new HashMap<>());
    }

    boolean accepts(String column) {
        return columns.contains(column) || (primaryKey.equals(List.of(ROWID)) && column.equalsIgnoreCase(ROWID));
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
