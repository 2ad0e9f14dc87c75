package io.tidemark.core.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A table's columns and primary key as the database declares them (events do not carry schema), its
 * upsert statements by the set of columns a change carries, and what the applier may do with its
 * changes.
 *
 * <p>Each column has a slot, its place in declaration order (a rowid-keyed table's {@code rowid}
 * comes last), so the applier binds a change's values by slot and names its column set by the
 * slots' bits: looking a statement up by the column names themselves (hashing and comparing sets of
 * strings, for every change, since Go sends a row's columns in random order) showed as 18% of the
 * applying thread in a build's profile.
 *
 * @param independent its changes touch only its own rows: no trigger on it and no foreign key from
 *                    or to it, and it is an ordinary table. Its changes may then run before or after
 *                    another independent table's without changing either table.
 * @param coalescible independent, and a change's key alone decides the row it leaves: the key is the
 *                    row's identity (the rowid, an {@code INTEGER PRIMARY KEY}, or a {@code WITHOUT
 *                    ROWID} key), no UNIQUE index or constraint besides the key (an upsert could then
 *                    replace another key's row) and no AUTOINCREMENT (its counter remembers every key
 *                    inserted). Only then is a change superseded by a later change of the same key.
 */
record TableShape(String name, List<String> primaryKey,
                  Map<BitSet, PreparedStatement> upserts, boolean independent, boolean coalescible,
                  Map<String, Integer> slots, List<String> slotNames, int[] keySlots) {
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
        boolean independent = ordinary(c, table) && !exists(c, "SELECT 1 FROM sqlite_master WHERE type = 'trigger'"
                + " AND tbl_name = ? COLLATE NOCASE", table)
                && !exists(c, "SELECT 1 FROM pragma_foreign_key_list(?)", table)
                && !exists(c, "SELECT 1 FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
                + " AND f.\"table\" = ? COLLATE NOCASE", table);
        boolean coalescible = independent && keyIsIdentity(c, table) && !autoincrement(c, table);
        List<String> slotNames = new ArrayList<>(columns);
        if (pk.isEmpty() && !columns.contains(ROWID)) {
            slotNames.add(ROWID);
        }
        Map<String, Integer> slots = new HashMap<>();
        for (int i = 0; i < slotNames.size(); i++) {
            slots.put(slotNames.get(i), i);
        }
        int[] keySlots = key.stream().mapToInt(slots::get).toArray();
        return new TableShape(table, key, new HashMap<>(), independent, coalescible, Map.copyOf(slots),
                List.copyOf(slotNames), keySlots);
    }

    /**
     * The slot of a column a change names, or -1 when the table has no such column. A rowid-keyed
     * table also takes its rowid, in any case, as SQLite does.
     */
    int slot(String column) {
        Integer slot = slots.get(column);
        if (slot != null) {
            return slot;
        }
        return primaryKey.equals(List.of(ROWID)) && column.equalsIgnoreCase(ROWID) ? slots.get(ROWID) : -1;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A plain table of the main schema (not virtual, not shadow, not a view). */
    private static boolean ordinary(Connection c, String table) throws SQLException {
        return exists(c, "SELECT 1 FROM pragma_table_list WHERE schema = 'main' AND name = ? COLLATE NOCASE"
                + " AND type = 'table'", table);
    }

    /**
     * True when the only unique index is the key's and the key is the row's identity. A rowid table
     * whose key is not its rowid has a {@code pk} index (its rowid is assigned anew by every insert,
     * so a skipped or moved insert changes the rowids); one whose key is the rowid has none.
     */
    private static boolean keyIsIdentity(Connection c, String table) throws SQLException {
        boolean withoutRowid = exists(c, "SELECT 1 FROM pragma_table_list WHERE schema = 'main'"
                + " AND name = ? COLLATE NOCASE AND wr = 1", table);
        try (PreparedStatement ps = c.prepareStatement("SELECT \"unique\", origin FROM pragma_index_list(?)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String origin = rs.getString(2);
                    if (!"pk".equals(origin) ? rs.getInt(1) != 0 : !withoutRowid) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean autoincrement(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getString(1) == null
                        || rs.getString(1).toUpperCase(Locale.ROOT).contains("AUTOINCREMENT");
            }
        }
    }

    private static boolean exists(Connection c, String sql, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
