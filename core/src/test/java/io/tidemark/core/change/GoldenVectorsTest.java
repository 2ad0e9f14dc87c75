package io.tidemark.core.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Messages captured from real HarmonyLite v0.10.0 nodes; see resources golden/README.md. */
class GoldenVectorsTest {
    static final long WRITER = Long.parseUnsignedLong("18446744073709551557");
    static final Map<String, List<String>> KEYS = Map.of("t_int", List.of("id"), "t_rowid", List.of("rowid"),
            "t_comp", List.of("a", "b"), "t_time", List.of("id"), "t_nullpk", List.of("k"),
            "t_sort", List.of("\uff61", "\ud83d\ude00"));

    static byte[] resource(String name) {
        try (InputStream in = GoldenVectorsTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden vector " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode capture(String kind) {
        try {
            return new ObjectMapper().readTree(resource((kind.equals("zstd") ? "zstd/" : "") + "capture-" + kind + ".json"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<JsonNode> vectors(String kind) {
        List<JsonNode> out = new ArrayList<>();
        capture(kind).get("vectors").forEach(out::add);
        return out.stream().filter(v -> !v.get("file").asText().startsWith("invalid_utf8"));
    }

    static Stream<JsonNode> cborVectors() {
        return vectors("cbor");
    }

    static Stream<JsonNode> zstdVectors() {
        return vectors("zstd");
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** What each captured change must decode to (row in any order). */
    static final Map<String, Object[]> EXPECTED = Map.ofEntries(
            Map.entry("int_insert", new Object[] {ChangeType.INSERT, "t_int", row("id", 1L, "name", "h\u00e9llo \u65e5\u672c \ud83d\ude00",
                    "data", new byte[] {0, (byte) 0xff, 0x10}, "r", 0.0, "big", Long.MAX_VALUE)}),
            Map.entry("int_update_neg_zero", new Object[] {ChangeType.UPDATE, "t_int", row("id", 1L,
                    "name", "h\u00e9llo \u65e5\u672c \ud83d\ude00", "data", new byte[] {0, (byte) 0xff, 0x10}, "r", 0.0, "big", Long.MIN_VALUE)}),
            Map.entry("real_max", new Object[] {ChangeType.INSERT, "t_int", row("id", 2L, "name", null, "data", null, "r", 1e308, "big", null)}),
            Map.entry("real_min_subnormal", new Object[] {ChangeType.INSERT, "t_int", row("id", 3L, "name", null, "data", null,
                    "r", Double.MIN_VALUE, "big", null)}),
            Map.entry("real_pos_inf", new Object[] {ChangeType.INSERT, "t_int", row("id", 4L, "name", null, "data", null,
                    "r", Double.POSITIVE_INFINITY, "big", null)}),
            Map.entry("real_neg_inf", new Object[] {ChangeType.INSERT, "t_int", row("id", 5L, "name", null, "data", null,
                    "r", Double.NEGATIVE_INFINITY, "big", null)}),
            Map.entry("real_nan_null", new Object[] {ChangeType.INSERT, "t_int", row("id", 6L, "name", null, "data", null, "r", null, "big", null)}),
            Map.entry("empty_blob_nulls", new Object[] {ChangeType.INSERT, "t_int", row("id", 8L, "name", null, "data", new byte[0],
                    "r", null, "big", null)}),
            Map.entry("int_delete", new Object[] {ChangeType.DELETE, "t_int", row("id", 2L, "name", null, "data", null, "r", 1e308, "big", null)}),
            Map.entry("rowid_insert", new Object[] {ChangeType.INSERT, "t_rowid", row("name", "no pk", "v", 42L, "rowid", 1L)}),
            Map.entry("rowid_update", new Object[] {ChangeType.UPDATE, "t_rowid", row("name", "no pk", "v", 43L, "rowid", 1L)}),
            Map.entry("rowid_delete", new Object[] {ChangeType.DELETE, "t_rowid", row("name", "no pk", "v", 43L, "rowid", 1L)}),
            Map.entry("comp_insert", new Object[] {ChangeType.INSERT, "t_comp", row("a", "k\u00fc", "b", 7L, "v", "x")}),
            Map.entry("comp_delete", new Object[] {ChangeType.DELETE, "t_comp", row("a", "k\u00fc", "b", 7L, "v", "x")}),
            Map.entry("time_offset", new Object[] {ChangeType.INSERT, "t_time", row("id", 1L,
                    "at", Instant.parse("2024-03-10T07:04:56Z"), "ts", Instant.parse("2024-03-10T09:02:03Z"))}),
            Map.entry("time_utc_z", new Object[] {ChangeType.INSERT, "t_time", row("id", 2L,
                    "at", Instant.parse("2024-03-10T12:34:56Z"), "ts", Instant.parse("2024-03-10T12:34:56Z"))}),
            Map.entry("time_unix_int", new Object[] {ChangeType.INSERT, "t_time", row("id", 3L,
                    "at", Instant.ofEpochSecond(1_700_000_000), "ts", Instant.ofEpochSecond(1_700_000_000))}),
            Map.entry("time_unparsable", new Object[] {ChangeType.INSERT, "t_time", row("id", 4L, "at", GoTime.ZeroTime.VALUE, "ts", null)}),
            Map.entry("nullpk_insert", new Object[] {ChangeType.INSERT, "t_nullpk", row("k", null, "v", "null key")}),
            Map.entry("nullpk_delete", new Object[] {ChangeType.DELETE, "t_nullpk", row("k", null, "v", "null key")}),
            Map.entry("nullpk_delete_1", new Object[] {ChangeType.DELETE, "t_nullpk", row("k", null, "v", "null key")}),
            Map.entry("sort_insert", new Object[] {ChangeType.INSERT, "t_sort", row("\uff61", "a", "\ud83d\ude00", "b", "v", "v")}));

    private static void assertExpected(String file, ChangeEvent e) {
        Object[] want = EXPECTED.get(file.substring(0, file.indexOf('.')));
        assertThat(want).as("expectation for " + file).isNotNull();
        assertThat(e.fromNodeId()).isEqualTo(WRITER);
        assertThat(e.type()).isEqualTo(want[0]);
        assertThat(e.table()).isEqualTo(want[1]);
        assertThat(e.schemaHash()).isNull();
        assertThat(e.row()).usingRecursiveComparison().isEqualTo(want[2]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cborVectors")
    void cbor_decodes_reencodesByteIdentically_andHashesToItsShard(JsonNode v) {
        byte[] wire = resource(v.get("file").asText());
        ChangeEvent e = ChangeCodec.decode(wire, false);
        assertExpected(v.get("file").asText(), e);
        assertThat(HexFormat.of().formatHex(ChangeCodec.encode(e, false))).isEqualTo(HexFormat.of().formatHex(wire));
        Map<String, Object> key = new LinkedHashMap<>();
        KEYS.get(e.table()).forEach(k -> key.put(k, e.row().get(k)));
        assertThat(ShardHash.shard(e.table(), key, 4)).isEqualTo(v.get("shard").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zstdVectors")
    void zstd_decodesToTheSameEvent(JsonNode v) {
        String file = v.get("file").asText();
        ChangeEvent e = ChangeCodec.decode(resource("zstd/" + file), true);
        assertExpected(file, e);
        assertThat(ChangeCodec.decode(ChangeCodec.encode(e, true), true)).usingRecursiveComparison().isEqualTo(e);
        Map<String, Object> key = new LinkedHashMap<>();
        KEYS.get(e.table()).forEach(k -> key.put(k, e.row().get(k)));
        assertThat(ShardHash.shard(e.table(), key, 4)).isEqualTo(v.get("shard").asInt());
    }

    @Test
    void invalidUtf8Text_isRejectedWithItsOffset_asEveryNodeRejectsIt() {
        byte[] wire = resource("invalid_utf8_text.cbor");
        assertThat(HexFormat.of().formatHex(wire)).contains("646e616d6563fffe41"); // "name": text(3) ff fe 41
        assertThatThrownBy(() -> ChangeCodec.decode(wire, false)).isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining("offset 80").hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> ChangeCodec.decode(resource("zstd/invalid_utf8_text.zst"), true))
                .isInstanceOf(MalformedChangeException.class).hasMessageContaining("UTF-8");
    }
}
