package io.tidemark.core.manifest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * manifest.json: what a snapshot holds and exactly which stream positions. Immutable once stored;
 * {@code base} links it by hash to the snapshot it was built on.
 *
 * <p>Format 1 stores the whole database in one object ({@code db}). Format 2 adds {@code layers}:
 * the objects that rebuild the database, applied in order, a full database first and then page sets
 * (see {@link Layer}); the last layer is the object this snapshot wrote ({@code db}). {@code
 * db.rawSha256} is always the sha256 of the whole database the layers rebuild.
 */
@JsonPropertyOrder({"format", "id", "createdAt", "cluster", "positions", "base", "db", "layers", "schemaHash", "tables",
        "build"})
public record Manifest(int format, String id, Instant createdAt, String cluster, Map<String, Long> positions,
                       BaseRef base, DbInfo db,
                       @com.fasterxml.jackson.annotation.JsonInclude(
                               com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) List<Layer> layers,
                       String schemaHash, Map<String, Long> tables,
                       BuildInfo build) {
    /** The format written for a snapshot stored whole; readers take both. */
    public static final int FORMAT = 1;
    public static final int LAYERED_FORMAT = 2;

    public Manifest {
        // Null stays null so that reading can say which field a damaged manifest lacks.
        positions = positions == null ? null : Collections.unmodifiableMap(new TreeMap<>(positions));
        tables = tables == null ? null : Collections.unmodifiableMap(new TreeMap<>(tables));
        layers = layers == null ? null : List.copyOf(layers);
    }

    /** A snapshot stored whole, in format 1. */
    public Manifest(int format, String id, Instant createdAt, String cluster, Map<String, Long> positions,
                    BaseRef base, DbInfo db, String schemaHash, Map<String, Long> tables, BuildInfo build) {
        this(format, id, createdAt, cluster, positions, base, db, null, schemaHash, tables, build);
    }

    /** The objects that rebuild the database, oldest first: a format 1 snapshot is its one object. */
    public List<Layer> chain() {
        if (layers != null) {
            return layers;
        }
        return List.of(new Layer(id, db.object(), Layer.FULL, 0, db.bytes(), db.sha256()));
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

    /**
     * One object of a layered snapshot, stored under the snapshot that wrote it ({@code snapshot}):
     * {@code full}, a zstd-compressed SQLite file, or {@code pages}, a page set (see
     * {@code io.tidemark.core.snapshot.PageSet}) written over what the layers before it rebuild.
     * {@code level} 0 holds one build's pages; a level-1 set merges every page set since the full
     * database, so a chain never holds more than one level-1 set and a bounded run of level 0s.
     */
    @JsonPropertyOrder({"snapshot", "object", "kind", "level", "bytes", "sha256"})
    public record Layer(String snapshot, String object, String kind, int level, long bytes, String sha256) {
        public static final String FULL = "full";
        public static final String PAGES = "pages";

        public boolean full() {
            return FULL.equals(kind);
        }

        public String key() {
            return io.tidemark.core.store.StoreLayout.SNAPSHOTS + snapshot + "/" + object;
        }
    }

    /** How it was built. */
    @JsonPropertyOrder({"trigger", "builder", "leaseToken", "changesApplied", "millis", "version"})
    public record BuildInfo(String trigger, String builder, long leaseToken, long changesApplied, long millis,
                            String version) {}
}
