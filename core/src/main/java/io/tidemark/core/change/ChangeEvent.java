package io.tidemark.core.change;

import java.util.Map;

/**
 * One decoded HarmonyLite change: {@code {FromNodeId, Payload: {Id, Type, TableName, Row, sh?}}}.
 * Row values are Long, Double, String, byte[], null, {@link java.time.Instant} (a tag 32 time,
 * which becomes text only when applied, in the replaying node's zone: {@link GoTime#sqlValue}) or
 * {@link GoTime.ZeroTime} (a tag 32 zero time, applied as NULL).
 * Row columns keep their wire order. {@code fromNodeId} is an unsigned 64-bit id (print it with
 * {@link Long#toUnsignedString(long)}).
 */
public record ChangeEvent(long fromNodeId, long id, ChangeType type, String table, Map<String, Object> row,
                          String schemaHash) {
    public ChangeEvent {
        row = java.util.Collections.unmodifiableMap(row);
    }
}
