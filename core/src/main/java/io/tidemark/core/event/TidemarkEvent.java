package io.tidemark.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An event Tidemark emits: a detail type and a flat JSON-ready detail, always with the cluster. */
public record TidemarkEvent(Type type, String cluster, Map<String, Object> detail) {
    public static final String SOURCE = "tidemark";

    /** The detail types, spelled as consumers match them. */
    public enum Type {
        SnapshotCreated, SnapshotSkipped, SnapshotFailed, SnapshotGapDetected, RestoreVerified,
        RestoreVerificationFailed,
        /** HEAD is too old for a HarmonyLite node to boot from; {@code snapshot.db} was left as it was. */
        BootCopyStale
    }

    public TidemarkEvent {
        Map<String, Object> copy = new LinkedHashMap<>();
        copy.put("cluster", cluster);
        copy.putAll(detail);
        detail = Collections.unmodifiableMap(copy);
    }
}
