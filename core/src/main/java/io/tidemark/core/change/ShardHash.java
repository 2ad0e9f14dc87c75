package io.tidemark.core.change;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * HarmonyLite's shard of a change, as its publisher computes it: 64-bit FNV-1 (not FNV-1a) over the
 * CBOR of an indefinite-length array holding the table name and one {@code [column, value]} pair
 * per primary-key column (the rowid for a table without one); shard = hash mod shards + 1. The
 * columns are in Go's {@code sort.Strings} order, which compares UTF-8 bytes: that differs from
 * Java's UTF-16 {@link String#compareTo} once a name holds a character above U+FFFF.
 */
public final class ShardHash {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private ShardHash() {}

    /** Go's string order: bytewise over UTF-8. */
    static int compareGo(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    public static long hash(String table, Map<String, Object> primaryKey) {
        Map<String, Object> sorted = new TreeMap<>(ShardHash::compareGo);
        sorted.putAll(primaryKey);
        Cbor.Writer w = new Cbor.Writer().startIndefiniteArray().write(table);
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            w.write(Arrays.asList(e.getKey(), e.getValue()));
        }
        long h = OFFSET;
        for (byte b : w.endIndefinite().toByteArray()) {
            h *= PRIME;
            h ^= b & 0xff;
        }
        return h;
    }

    /** The shard (from 1) of the row with this primary key among {@code shards}. */
    public static int shard(String table, Map<String, Object> primaryKey, int shards) {
        return (int) Long.remainderUnsigned(hash(table, primaryKey), shards) + 1;
    }
}
