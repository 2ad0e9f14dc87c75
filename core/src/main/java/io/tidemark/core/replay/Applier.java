package io.tidemark.core.replay;

import io.tidemark.core.change.ChangeEvent;
import io.tidemark.core.change.ChangeType;
import io.tidemark.core.change.GoTime;
import io.tidemark.core.change.SequenceGapException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays changes into SQLite as HarmonyLite does (INSERT OR REPLACE of the row; delete by primary
 * key or rowid), but in large transactions with batched prepared statements, and with the applied
 * stream positions written in the same transaction, so a crash never applies a change twice.
 *
 * <p>Changes are bound as they come and run a window at a time ({@link ApplyWindow}): a table's
 * changes always run in stream order, so a delete never overtakes the insert before it; changes of
 * different tables are grouped per table, and a change superseded by a later one of the same key is
 * dropped, only where neither can change what the tables hold. The database after a replay equals
 * the one a change-at-a-time replay gives, row for row (rowids included). Not thread-safe.
 *
 * <p>As on a HarmonyLite node: a time (tag 32) is stored as go-sqlite3 text in the replaying node's
 * zone (see {@link GoTime}; UTC unless given), and a delete matches its key with {@code IS}, so a
 * NULL key value deletes the rows whose key is NULL (HarmonyLite's delete builds {@code k IS NULL}).
 */
public final class Applier implements AutoCloseable {
    /** Changes bound before they run: large enough to batch per table, small enough to hold ~a few MB. */
    static final int WINDOW = 4_096;

    private final Connection conn;
    private final ZoneId zone;
    private final Map<String, TableShape> shapes = new HashMap<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Long> positions;
    private final Map<String, Long> dirty = new TreeMap<>();
    /** Null when positions live in the database's position table; else the last committed ones. */
    private final Map<String, Long> committedInMemory;
    private final java.util.Set<String> touched = new java.util.TreeSet<>();
    private final RowSlots rowSlots;
    private final ApplyWindow window = new ApplyWindow();
    /** The window's first stream and sequence range, for errors; other streams' changes may be in it too. */
    private String windowStream;
    private long windowFrom;
    private long windowTo;
    private boolean windowMixed;
    private long applied;

    /** Takes over a connection; times are stored as a node running in UTC stores them. */
    public Applier(Connection conn) throws SQLException {
        this(conn, ZoneOffset.UTC);
    }

    /**
     * Takes over a connection; positions are read from the database's position table. Times are
     * stored as a HarmonyLite node whose local zone ({@code TZ}) is {@code zone} stores them.
     */
    public Applier(Connection conn, ZoneId zone) throws SQLException {
        this.conn = conn;
        this.zone = zone;
        this.rowSlots = new RowSlots(zone);
        conn.setAutoCommit(false);
        PositionTable.create(conn);
        conn.commit();
        this.positions = PositionTable.read(conn);
        this.committedInMemory = null;
    }

    private Applier(Connection conn, ZoneId zone, Map<String, Long> positions) throws SQLException {
        this.conn = conn;
        this.zone = zone;
        this.rowSlots = new RowSlots(zone);
        conn.setAutoCommit(false);
        this.positions = new HashMap<>(positions);
        this.committedInMemory = new HashMap<>(positions);
    }

    /**
     * An applier that keeps positions in memory only, for a builder's database: the manifest records
     * them, and the database must stay exactly the snapshot's tables (no position table to strip).
     */
    public static Applier withPositionsInMemory(Connection conn, ZoneId zone, Map<String, Long> positions)
            throws SQLException {
        return new Applier(conn, zone, positions);
    }

    /** The tables this applier has written to. */
    public java.util.Set<String> touchedTables() {
        return java.util.Collections.unmodifiableSet(touched);
    }

    /** The last sequence applied per stream, including uncommitted work. */
    public long position(String stream) {
        return positions.getOrDefault(stream, 0L);
    }

    public Map<String, Long> positions() {
        return Map.copyOf(positions);
    }

    /** Changes applied since this applier opened, skipped duplicates not counted. */
    public long applied() {
        return applied;
    }

    /** Changes dropped because a later change of the same key in their window superseded them. */
    long coalesced() {
        return window.coalesced();
    }

    /** Sets positions outright (after a restore or a seed) in the current transaction. */
    public void resetPositions(Map<String, Long> newPositions) {
        positions.clear();
        positions.putAll(newPositions);
        dirty.putAll(newPositions);
    }

    /**
     * Applies one change at {@code seq} of {@code stream}. A sequence at or before the stored
     * position is a redelivery and is skipped; one past position + 1 is a gap.
     *
     * @return false when the change was already applied
     * @throws SequenceGapException when changes between the position and {@code seq} are missing
     */
    public boolean apply(String stream, long seq, ChangeEvent event) {
        long at = position(stream);
        if (seq <= at) {
            return false;
        }
        if (seq != at + 1) {
            throw new SequenceGapException(stream, at, seq);
        }
        try {
            TableShape shape = shape(event.table(), stream, seq);
            PreparedStatement ps;
            Object[] values;
            Object[] key;
            if (event.type() == ChangeType.DELETE) {
                ps = deleteStatement(shape);
                values = deleteValues(shape, event, stream, seq);
                key = shape.coalescible() ? key(values) : null;
            } else {
                RowSlots row = rowSlots.of(shape, event, stream, seq);
                ps = upsertStatement(shape, row.present());
                values = row.values();
                key = shape.coalescible() ? key(row.keyValues()) : null;
            }
            if (window.needsRunBefore(shape)) {
                flush();
            }
            window.add(shape, ps, values, key);
            if (windowStream == null) {
                windowStream = stream;
                windowFrom = seq;
                windowMixed = false;
            }
            windowMixed |= !stream.equals(windowStream);
            windowTo = stream.equals(windowStream) ? seq : windowTo;
            if (window.size() >= WINDOW) {
                flush();
            }
        } catch (SQLException e) {
            throw ReplayException.of("applying " + stream + " seq " + seq + " to table " + event.table(), e, conn);
        }
        positions.put(stream, seq);
        dirty.put(stream, seq);
        applied++;
        return true;
    }

    /** Flushes batches, writes the positions and commits: all of it or none of it lands. */
    public void commit() {
        try {
            flush();
            if (!dirty.isEmpty() && committedInMemory == null) {
                PositionTable.write(conn, dirty);
            }
            dirty.clear();
            conn.commit();
            if (committedInMemory != null) {
                committedInMemory.clear();
                committedInMemory.putAll(positions);
            }
        } catch (SQLException e) {
            throw ReplayException.of("committing", e, conn);
        }
    }

    /** Drops uncommitted work and reloads positions from the database. */
    public void rollback() {
        try {
            window.clear();
            windowStream = null;
            conn.rollback();
            dirty.clear();
            positions.clear();
            positions.putAll(committedInMemory != null ? committedInMemory : PositionTable.read(conn));
        } catch (SQLException e) {
            throw new ReplayException("rollback failed: " + e.getMessage(), e);
        }
    }

    private void flush() throws SQLException {
        if (window.size() == 0) {
            return;
        }
        try {
            window.run();
        } catch (SQLException e) {
            throw ReplayException.of("applying " + windowStream + " seqs " + windowFrom + ".." + windowTo
                    + (windowMixed ? " and other streams' changes" : ""), e, conn);
        } finally {
            windowStream = null;
        }
    }

    private TableShape shape(String table, String stream, long seq) throws SQLException {
        TableShape shape = shapes.get(table);
        if (shape == null) {
            if (table.startsWith(PositionTable.INTERNAL_PREFIX)) {
                throw new UnknownTableException("change at " + stream + " seq " + seq + " targets Tidemark's own table "
                        + table);
            }
            shape = TableShape.read(conn, table);
            if (shape == null) {
                throw new UnknownTableException("change at " + stream + " seq " + seq + " names table '" + table
                        + "', which the snapshot's schema does not have");
            }
            shapes.put(table, shape);
            touched.add(shape.name()); // here, not per change: a TreeSet insert per change showed in profiles
        }
        return shape;
    }

    /** The upsert of the columns {@code present} names by slot, in slot order (the order {@link RowSlots#values} binds). */
    private PreparedStatement upsertStatement(TableShape shape, BitSet present) throws SQLException {
        PreparedStatement ps = shape.upserts().get(present);
        if (ps == null) {
            List<String> cols = new ArrayList<>();
            present.stream().forEach(slot -> cols.add(shape.slotNames().get(slot)));
            StringBuilder sql = new StringBuilder("INSERT OR REPLACE INTO ").append(TableShape.quote(shape.name())).append(" (");
            StringBuilder marks = new StringBuilder();
            for (int i = 0; i < cols.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(TableShape.quote(cols.get(i)));
                marks.append(i == 0 ? "?" : ", ?");
            }
            ps = conn.prepareStatement(sql.append(") VALUES (").append(marks).append(')').toString());
            shape.upserts().put((BitSet) present.clone(), ps);
            statements.put("U\0" + shape.name() + "\0" + String.join("\0", cols), ps);
        }
        return ps;
    }

    /** The change's key values, or null when one is missing or NULL (an insert then gets a fresh rowid). */
    private static Object[] key(Object[] keyValues) {
        for (Object v : keyValues) {
            if (v == null || v instanceof Double d && d.isNaN()) {
                return null; // SQLite stores NaN as NULL
            }
        }
        return keyValues;
    }

    private PreparedStatement deleteStatement(TableShape shape) throws SQLException {
        String key = "D\0" + shape.name();
        PreparedStatement ps = statements.get(key);
        if (ps == null) {
            StringBuilder sql = new StringBuilder("DELETE FROM ").append(TableShape.quote(shape.name())).append(" WHERE ");
            for (int i = 0; i < shape.primaryKey().size(); i++) {
                sql.append(i == 0 ? "" : " AND ").append(TableShape.quote(shape.primaryKey().get(i))).append(" IS ?");
            }
            ps = conn.prepareStatement(sql.toString());
            statements.put(key, ps);
        }
        return ps;
    }

    private Object[] deleteValues(TableShape shape, ChangeEvent e, String stream, long seq) {
        Object[] values = new Object[shape.primaryKey().size()];
        for (int i = 0; i < values.length; i++) {
            String col = shape.primaryKey().get(i);
            if (!e.row().containsKey(col)) {
                throw new UnknownTableException("delete at " + stream + " seq " + seq + " on table " + shape.name()
                        + " lacks primary key column '" + col + "'");
            }
            values[i] = GoTime.sqlValue(e.row().get(col), zone);
        }
        return values;
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a statement cannot lose committed work
            }
        }
        statements.clear();
    }
}
