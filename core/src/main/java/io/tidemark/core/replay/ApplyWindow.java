package io.tidemark.core.replay;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes bound but not yet run, with their statements and values, run together by
 * {@link #run}. Two things make that cheaper than running each change as it comes, both only where
 * they cannot change what the tables hold (see {@link TableShape#independent} and
 * {@link TableShape#coalescible}):
 *
 * <ul>
 *   <li>Changes of independent tables run table by table, each table's in stream order, so
 *       consecutive changes share a statement and go to SQLite in real batches (a workload that
 *       interleaves tables otherwise batches one change at a time). A change of any other table
 *       closes the window: those run strictly in stream order, as before.
 *   <li>In a coalescible table, a change whose key comes again later in the window is dropped: an
 *       upsert (INSERT OR REPLACE) replaces the whole row and a delete removes it, so the last
 *       change of a key decides the row. A change without a full non-NULL key (its rowid is then
 *       assigned from the table's largest) keeps every change before it.
 * </ul>
 *
 * Not thread-safe; the applier owns one.
 */
final class ApplyWindow {
    /** Changes per {@code executeBatch}: as before windows existed. */
    private static final int BATCH = 1_000;

    private record Op(PreparedStatement ps, Object[] values) {}

    /** A key's values, compared as SQLite compares them for the types a change carries (blobs by content). */
    private record Key(Object[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.deepEquals(values, k.values);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(values);
        }
    }

    private static final class Lane {
        final List<Op> ops = new ArrayList<>();
        final Map<Key, Integer> latest = new HashMap<>();
    }

    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    /** The window holds changes of a table that is not independent: one lane, stream order, no coalescing. */
    private boolean ordered;
    private int size;
    private long coalesced;

    /** Changes in the window, dropped ones included. */
    int size() {
        return size;
    }

    /** Changes dropped since this window was made, because a later change of their key superseded them. */
    long coalesced() {
        return coalesced;
    }

    /** True when {@code shape}'s change must not share the window as it stands: run it first. */
    boolean needsRunBefore(TableShape shape) {
        return size > 0 && ordered == shape.independent();
    }

    /**
     * Adds a change. {@code key} holds its key values when it has them all and none is NULL, else
     * null. Call {@link #needsRunBefore} first.
     */
    void add(TableShape shape, PreparedStatement ps, Object[] values, Object[] key) {
        ordered = !shape.independent();
        Lane lane = lanes.computeIfAbsent(ordered ? "" : shape.name(), t -> new Lane());
        if (!ordered && shape.coalescible()) {
            if (key == null) {
                lane.latest.clear(); // its rowid depends on the rows before it: none of them may go
            } else {
                Integer before = lane.latest.put(new Key(key), lane.ops.size());
                if (before != null) {
                    lane.ops.set(before, null);
                    coalesced++;
                }
            }
        }
        lane.ops.add(new Op(ps, values));
        size++;
    }

    /** Runs the window's changes and empties it, also when SQLite fails. */
    void run() throws SQLException {
        try {
            for (Lane lane : lanes.values()) {
                PreparedStatement pending = null;
                int count = 0;
                for (Op op : lane.ops) {
                    if (op == null) {
                        continue;
                    }
                    if (op.ps != pending || count == BATCH) {
                        if (count > 0) {
                            pending.executeBatch();
                        }
                        pending = op.ps;
                        count = 0;
                    }
                    for (int i = 0; i < op.values.length; i++) {
                        op.ps.setObject(i + 1, op.values[i]);
                    }
                    op.ps.addBatch();
                    count++;
                }
                if (count > 0) {
                    pending.executeBatch();
                }
            }
        } catch (SQLException | RuntimeException e) {
            clearBatches();
            throw e;
        } finally {
            reset();
        }
    }

    /** Drops the window's changes unrun (on rollback). */
    void clear() {
        clearBatches();
        reset();
    }

    /** Clears any batch a failure left half-built, once per statement. */
    private void clearBatches() {
        java.util.Set<PreparedStatement> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Lane lane : lanes.values()) {
            for (Op op : lane.ops) {
                if (op != null && seen.add(op.ps)) {
                    try {
                        op.ps.clearBatch();
                    } catch (SQLException ignored) {
                        // a statement that cannot clear is closed with the applier
                    }
                }
            }
        }
    }

    private void reset() {
        lanes.clear();
        size = 0;
        ordered = false;
    }
}
