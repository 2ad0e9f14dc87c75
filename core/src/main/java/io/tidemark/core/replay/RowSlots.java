package io.tidemark.core.replay;

import io.tidemark.core.change.ChangeEvent;
import io.tidemark.core.change.GoTime;
import java.time.ZoneId;
import java.util.BitSet;
import java.util.function.BiConsumer;

/**
 * Places an upsert's values by column slot ({@link TableShape#slot}): which columns the change
 * carries (a bit per slot, the key of its statement) and its values in slot order, as that
 * statement binds them. Go sends a row's columns in random order; by slot, every order of the same
 * columns meets the same statement without sorting or hashing names per change. One instance is
 * reused for every change, so it is not thread-safe and {@link #of} invalidates what it returned
 * before.
 */
final class RowSlots implements BiConsumer<String, Object> {
    private final ZoneId zone;
    private final BitSet present = new BitSet();
    private Object[] slots = new Object[16];
    private TableShape shape;
    private String stream;
    private long seq;

    RowSlots(ZoneId zone) {
        this.zone = zone;
    }

    /** Reads {@code event}'s row into slots; an unknown column is an error naming it and the change. */
    RowSlots of(TableShape shape, ChangeEvent event, String stream, long seq) {
        this.shape = shape;
        this.stream = stream;
        this.seq = seq;
        present.clear();
        if (slots.length < shape.slotNames().size()) {
            slots = new Object[shape.slotNames().size()];
        }
        event.row().forEach(this); // the map's own iteration: no entry wrappers per column
        return this;
    }

    @Override
    public void accept(String column, Object value) {
        int slot = shape.slot(column);
        if (slot < 0) {
            throw new UnknownColumnException("change at " + stream + " seq " + seq + " names column '" + column
                    + "', which table " + shape.name() + " does not have");
        }
        if (present.get(slot)) {
            throw new UnknownColumnException("change at " + stream + " seq " + seq + " names column '" + column
                    + "' of table " + shape.name() + " twice");
        }
        present.set(slot);
        slots[slot] = GoTime.sqlValue(value, zone);
    }

    /** The columns the change carries, by slot. Valid until the next {@link #of}. */
    BitSet present() {
        return present;
    }

    /** The values in slot order, as the statement for {@link #present} binds them. */
    Object[] values() {
        Object[] values = new Object[present.cardinality()];
        for (int slot = present.nextSetBit(0), i = 0; slot >= 0; slot = present.nextSetBit(slot + 1)) {
            values[i++] = slots[slot];
        }
        return values;
    }

    /** The key's values in key order, null where the change does not carry a key column. */
    Object[] keyValues() {
        int[] keySlots = shape.keySlots();
        Object[] key = new Object[keySlots.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = present.get(keySlots[i]) ? slots[keySlots[i]] : null;
        }
        return key;
    }
}
