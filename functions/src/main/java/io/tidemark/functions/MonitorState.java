package io.tidemark.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import java.io.IOException;
import java.util.Optional;

/**
 * What Monitor remembers between runs, kept in the store beside HEAD (a Lambda's memory does not
 * reliably survive): how many consecutive runs found a trigger due while HEAD stayed the same.
 * Written by compare-and-set, so two overlapping runs cannot both count.
 */
record MonitorState(String headId, int breachedRuns, String lastTrigger) {
    static final String KEY = "monitor/state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Stored(MonitorState state, String version) {}

    static Stored read(SnapshotStore store) {
        Optional<SnapshotStore.Versioned> v = store.read(KEY);
        if (v.isEmpty()) {
            return new Stored(new MonitorState(null, 0, null), null);
        }
        try {
            return new Stored(JSON.readValue(v.get().content(), MonitorState.class), v.get().version());
        } catch (IOException e) {
            // A damaged state only delays a re-trigger by one period: start counting afresh.
            return new Stored(new MonitorState(null, 0, null), v.get().version());
        }
    }

    /** Writes the next state; false when another run wrote first. */
    static boolean write(SnapshotStore store, MonitorState next, String version) {
        try {
            store.compareAndSet(KEY, JSON.writeValueAsBytes(next), version);
            return true;
        } catch (PreconditionFailedException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
