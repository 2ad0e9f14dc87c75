package io.tidemark.core.manifest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * manifest.json, format 1: what a snapshot holds and exactly which stream positions. Immutable once
 * stored; {@code base} links it by hash to the snapshot it was built on.
 */
@JsonPropertyOrder({"format", "id", "createdAt", "cluster", "positions", "base", "db", "schemaHash", "tables", "build"})
public record Manifest(int format, String id, Instant createdAt, String cluster, Map<String, Long> positions,
                       BaseRef base, DbInfo db, String schemaHash, Map<String, Long> tables, BuildInfo build) {
    public static final int FORMAT = 1;

    public Manifest {
        // Null stays null so that reading can say which field a damaged manifest lacks.
        positions = positions == null ? null : Collections.unmodifiableMap(new TreeMap<>(positions));
        tables = tables == null ? null : Collections.unmodifiableMap(new TreeMap<>(tables));
    }

    /** The position a stream's snapshot holds, 0 when the stream has never been applied. */
    public long position(String stream) {
        return positions.getOrDefault(stream, 0L);
    }

    public long totalRows() {
        return tables.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The snapshot this one was built on. */
    @JsonPropertyOrder({"id", "manifestSha256"})
    public record BaseRef(String id, String manifestSha256) {}

    /** The database object: compressed size and hash, and those of the raw SQLite file. */
    @JsonPropertyOrder({"object", "encoding", "bytes", "sha256", "rawBytes", "rawSha256"})
    public record DbInfo(String object, String encoding, long bytes, String sha256, long rawBytes, String rawSha256) {}

    /** How it was built. */
    @JsonPropertyOrder({"trigger", "builder", "leaseToken", "changesApplied", "millis", "version"})
    public record BuildInfo(String trigger, String builder, long leaseToken, long changesApplied, long millis,
                            String version) {}
}
