package io.tidemark.core.change;

import java.util.Map;

/**
 * One decoded HarmonyLite change: {@code {FromNodeId, Payload: {Id, Type, TableName, Row, sh?}}}.
 * Row values are already in the form they take in SQLite: Long, Double, String, byte[] or null;
 * times have become text in go-sqlite3's layout.
 */
public record ChangeEvent(long fromNodeId, long id, ChangeType type, String table, Map<String, Object> row,
                          String schemaHash) {
    public ChangeEvent {
        row = java.util.Collections.unmodifiableMap(row);
    }
}
