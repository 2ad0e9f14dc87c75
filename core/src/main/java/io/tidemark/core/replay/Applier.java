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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays changes into SQLite as HarmonyLite does (INSERT OR REPLACE of the row; delete by primary
 * key or rowid), but in large transactions with batched prepared statements, and with the applied
 * stream positions written in the same transaction, so a crash never applies a change twice.
 *
 * <p>Statements run in stream order: a batch is flushed whenever the next change needs a different
 * statement, so a delete never overtakes the insert before it. Not thread-safe.
 *
 * <p>As on a HarmonyLite node: a time (tag 32) is stored as go-sqlite3 text in the replaying node's
 * zone (see {@link GoTime}; UTC unless given), and a delete matches its key with {@code IS}, so a
 * NULL key value deletes the rows whose key is NULL (HarmonyLite's delete builds {@code k IS NULL}).
 */
public final class Applier implements AutoCloseable {
    private static final int BATCH = 1_000;

    private final Connection conn;
    private final ZoneId zone;
    private final Map<String, TableShape> shapes = new HashMap<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Long> positions;
    private final Map<String, Long> dirty = new TreeMap<>();
    /** Null when positions live in the database's position table; else the last committed ones. */
    private final Map<String, Long> committedInMemory;
    private final java.util.Set<String> touched = new java.util.TreeSet<>();
    /** Sorted column lists by the set of columns a row carries: sorting per change cost 8% of a replay. */
    private final Map<java.util.Set<String>, List<String>> columnOrder = new HashMap<>();
    private PreparedStatement pending;
    private int pendingCount;
    private String pendingStream;
    private long pendingFrom;
    private long pendingTo;
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
        conn.setAutoCommit(false);
        PositionTable.create(conn);
        conn.commit();
        this.positions = PositionTable.read(conn);
        this.committedInMemory = null;
    }

    private Applier(Connection conn, ZoneId zone, Map<String, Long> positions) throws SQLException {
        this.conn = conn;
        this.zone = zone;
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
            boolean delete = event.type() == ChangeType.DELETE;
            List<String> cols = delete ? null : sortedColumns(event);
            touched.add(shape.name());
            PreparedStatement ps = delete ? deleteStatement(shape) : upsertStatement(shape, cols, stream, seq);
            // Flush before binding: executing a batch clears the statement's parameters.
            if (ps != pending || !stream.equals(pendingStream)) {
                flush();
                pending = ps;
                pendingStream = stream;
                pendingFrom = seq;
            }
            if (delete) {
                bindDelete(ps, shape, event, stream, seq);
            } else {
                bindUpsert(ps, cols, event);
            }
            ps.addBatch();
            pendingTo = seq;
            if (++pendingCount >= BATCH) {
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
            pending = null;
            pendingCount = 0;
            for (PreparedStatement ps : statements.values()) {
                ps.clearBatch();
            }
            conn.rollback();
            dirty.clear();
            positions.clear();
            positions.putAll(committedInMemory != null ? committedInMemory : PositionTable.read(conn));
        } catch (SQLException e) {
            throw new ReplayException("rollback failed: " + e.getMessage(), e);
        }
    }

    private void flush() throws SQLException {
        if (pending == null || pendingCount == 0) {
            return;
        }
        try {
            pending.executeBatch();
        } catch (SQLException e) {
            throw ReplayException.of("applying " + pendingStream + " seqs " + pendingFrom + ".." + pendingTo, e, conn);
        } finally {
            pendingCount = 0;
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
        }
        return shape;
    }

    private PreparedStatement upsertStatement(TableShape shape, List<String> cols, String stream, long seq)
            throws SQLException {
        PreparedStatement ps = shape.upserts().get(cols);
        if (ps == null) {
            for (String c : cols) {
                if (!shape.accepts(c)) {
                    throw new UnknownColumnException("change at " + stream + " seq " + seq + " names column '" + c
                            + "', which table " + shape.name() + " does not have");
                }
            }
            StringBuilder sql = new StringBuilder("INSERT OR REPLACE INTO ").append(TableShape.quote(shape.name())).append(" (");
            StringBuilder marks = new StringBuilder();
            for (int i = 0; i < cols.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(TableShape.quote(cols.get(i)));
                marks.append(i == 0 ? "?" : ", ?");
            }
            ps = conn.prepareStatement(sql.append(") VALUES (").append(marks).append(')').toString());
            shape.upserts().put(cols, ps);
            statements.put("U\0" + shape.name() + "\0" + String.join("\0", cols), ps);
        }
        return ps;
    }

    private List<String> sortedColumns(ChangeEvent e) {
        List<String> cols = columnOrder.get(e.row().keySet());
        if (cols == null) {
            List<String> sorted = new ArrayList<>(e.row().keySet());
            sorted.sort(null);
            cols = List.copyOf(sorted);
            columnOrder.put(java.util.Set.copyOf(e.row().keySet()), cols);
        }
        return cols;
    }

    private void bindUpsert(PreparedStatement ps, List<String> cols, ChangeEvent e) throws SQLException {
        for (int i = 0; i < cols.size(); i++) {
            ps.setObject(i + 1, GoTime.sqlValue(e.row().get(cols.get(i)), zone));
        }
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

    private void bindDelete(PreparedStatement ps, TableShape shape, ChangeEvent e, String stream, long seq)
            throws SQLException {
        for (int i = 0; i < shape.primaryKey().size(); i++) {
            String col = shape.primaryKey().get(i);
            if (!e.row().containsKey(col)) {
                throw new UnknownTableException("delete at " + stream + " seq " + seq + " on table " + shape.name()
                        + " lacks primary key column '" + col + "'");
            }
            ps.setObject(i + 1, GoTime.sqlValue(e.row().get(col), zone));
        }
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
