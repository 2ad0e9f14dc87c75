package io.tidemark.core.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardHashTest {
    private static final String HALFWIDTH_STOP = "\uff61"; // UTF-8 ef bd a1
    private static final String GRINNING = "\ud83d\ude00"; // UTF-8 f0 9f 98 80, UTF-16 d83d de00

    @Test
    void columnsSortAsGoSortsStrings_byUtf8Bytes() {
        assertThat(HALFWIDTH_STOP.compareTo(GRINNING)).isPositive(); // Java's UTF-16 order
        assertThat(ShardHash.compareGo(HALFWIDTH_STOP, GRINNING)).isNegative(); // Go's byte order
        assertThat(ShardHash.compareGo("a", "b")).isNegative();
        assertThat(ShardHash.compareGo("ab", "a")).isPositive();
    }

    @Test
    void hash_isFnv1OverGoCbor_inByteOrder_notInUtf16Order() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put(GRINNING, "b");
        key.put(HALFWIDTH_STOP, "a");
        // Expected bytes: 9f, "t_sort", [｡, "a"], [😀, "b"], ff — FNV-1 computed independently.
        byte[] utf8Order = java.util.HexFormat.of().parseHex("9f66745f736f72748263efbda161618264f09f98806162ff");
        byte[] utf16Order = java.util.HexFormat.of().parseHex("9f66745f736f72748264f09f9880616282" + "63efbda16161ff");
        assertThat(ShardHash.hash("t_sort", key)).isEqualTo(fnv1(utf8Order)).isNotEqualTo(fnv1(utf16Order));
        // The capture's node (4 shards) published this row to shard 3 (golden/sort_insert.cbor).
        assertThat(ShardHash.shard("t_sort", key, 4)).isEqualTo(3);
    }

    @Test
    void nullKeyValue_hashesAsCborNull() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("k", null);
        byte[] expected = java.util.HexFormat.of().parseHex("9f68745f6e756c6c706b82616bf6ff");
        assertThat(ShardHash.hash("t_nullpk", key)).isEqualTo(fnv1(expected));
    }

    private static long fnv1(byte[] data) {
        long h = 0xcbf29ce484222325L;
        for (byte b : data) {
            h *= 0x100000001b3L;
            h ^= b & 0xff;
        }
        return h;
    }
}
