package io.tidemark.core.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ChangeCodecTest {
    private static Map<String, Object> row() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", 7L);
        r.put("name", "ä ✓");
        r.put("score", -2.5);
        r.put("blob", new byte[]{0, 1, 2});
        r.put("gone", null);
        r.put("at", Instant.parse("2024-03-04T05:06:07Z"));
        return r;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTrip_givesSqlValues_andGoTimeText(boolean compressed) {
        byte[] data = ChangeCodec.encode(3, 99, ChangeType.UPDATE, "users", row(), "abc", compressed);
        ChangeEvent e = ChangeCodec.decode(data, compressed);
        assertThat(e.fromNodeId()).isEqualTo(3);
        assertThat(e.id()).isEqualTo(99);
        assertThat(e.type()).isEqualTo(ChangeType.UPDATE);
        assertThat(e.table()).isEqualTo("users");
        assertThat(e.schemaHash()).isEqualTo("abc");
        assertThat(e.row()).containsEntry("id", 7L).containsEntry("name", "ä ✓").containsEntry("score", -2.5)
                .containsEntry("gone", null).containsEntry("at", Instant.parse("2024-03-04T05:06:07Z"));
        assertThat(GoTime.sqlValue(e.row().get("at"), java.time.ZoneOffset.UTC)).isEqualTo("2024-03-04 05:06:07+00:00");
        assertThat(ChangeCodec.decode(ChangeCodec.encode(e, compressed), compressed)).usingRecursiveComparison().isEqualTo(e);
        assertThat((byte[]) e.row().get("blob")).containsExactly(0, 1, 2);
    }

    @Test
    void goTime_trimsTrailingZerosOfTheFraction() {
        assertThat(GoTime.format(Instant.parse("2024-01-02T03:04:05.120Z"))).isEqualTo("2024-01-02 03:04:05.12+00:00");
        assertThat(GoTime.format(Instant.parse("2024-01-02T03:04:05Z"))).isEqualTo("2024-01-02 03:04:05+00:00");
    }

    @Test
    void notAMap_isMalformed() {
        assertThatThrownBy(() -> ChangeCodec.decode(Cbor.encode(List.of(1L)), false))
                .isInstanceOf(MalformedChangeException.class).hasMessageContaining("not a CBOR map");
    }

    @Test
    void missingPieces_areNamed() {
        assertThatThrownBy(() -> ChangeCodec.decode(Cbor.encode(Map.of("FromNodeId", 1L)), false))
                .hasMessageContaining("no Payload");
        Map<String, Object> payload = new LinkedHashMap<>(Map.of("Type", "upsert", "TableName", "t", "Row", Map.of()));
        assertThatThrownBy(() -> ChangeCodec.decode(Cbor.encode(Map.of("Payload", payload)), false))
                .hasMessageContaining("unknown change Type 'upsert'");
        payload.put("Type", "insert");
        payload.remove("Row");
        assertThatThrownBy(() -> ChangeCodec.decode(Cbor.encode(Map.of("Payload", payload)), false))
                .hasMessageContaining("Payload.Row of table t");
    }

    @Test
    void zstdGarbage_isMalformed() {
        assertThatThrownBy(() -> ChangeCodec.decode("garbage".getBytes(), true))
                .isInstanceOf(MalformedChangeException.class).hasMessageContaining("zstd");
    }

    @Test
    void unsupportedValue_namesTableAndColumn_butNotTheValue() {
        Map<String, Object> payload = Map.of("Type", "insert", "TableName", "t",
                "Row", Map.of("c", new Cbor.Tagged(99, "secret-value")));
        assertThatThrownBy(() -> ChangeCodec.decode(Cbor.encode(Map.of("Payload", payload)), false))
                .hasMessageContaining("t.c").hasMessageContaining("tag 99").hasMessageNotContaining("secret-value");
    }

    @Test
    void seqMap_roundTripsAndRejectsBadEntries() {
        Map<String, Long> m = Map.of("harmonylite-1", 5L, "harmonylite-2", 9L);
        assertThat(SeqMap.decode(SeqMap.encode(m))).isEqualTo(m);
        assertThat(SeqMap.decode(new byte[0])).isEmpty();
        assertThatThrownBy(() -> SeqMap.decode(Cbor.encode(Map.of("s", "x")))).hasMessageContaining("seq-map entry s");
    }

    @Test
    void nodeIdsAtOrPast2To63_travelAsUnsigned() {
        long node = Long.parseUnsignedLong("18446744073709551557");
        byte[] data = ChangeCodec.encode(node, 1, ChangeType.INSERT, "t", Map.of("id", 1L), null, false);
        assertThat(java.util.HexFormat.of().formatHex(data)).startsWith("a26a46726f6d4e6f646549641bffffffffffffffc5");
        assertThat(ChangeCodec.decode(data, false).fromNodeId()).isEqualTo(node);
        assertThat(Long.toUnsignedString(ChangeCodec.decode(data, false).fromNodeId())).isEqualTo("18446744073709551557");
    }

    @Test
    void payloadIdPast63Bits_isMalformed() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("Id", new java.math.BigInteger("9223372036854775808"));
        payload.put("Type", "insert");
        payload.put("TableName", "t");
        payload.put("Row", Map.of());
        assertThatThrownBy(() -> ChangeCodec.decode(Cbor.encode(Map.of("FromNodeId", 1L, "Payload", payload)), false))
                .isInstanceOf(MalformedChangeException.class).hasMessageContaining("Payload.Id");
    }

    @Test
    void goTime_usesTheZonesOffset_truncatingLocalMeanTimeSeconds() {
        Instant t = Instant.parse("2024-03-10T07:04:56.5Z");
        assertThat(GoTime.format(t, java.time.ZoneId.of("America/Sao_Paulo"))).isEqualTo("2024-03-10 04:04:56.5-03:00");
        assertThat(GoTime.format(t, java.time.ZoneId.of("Asia/Kolkata"))).isEqualTo("2024-03-10 12:34:56.5+05:30");
        // Sao Paulo's 1900 offset was LMT -03:06:28; Go prints -03:06 with the wall clock at -03:06:28.
        assertThat(GoTime.format(Instant.parse("1900-01-01T12:00:00Z"), java.time.ZoneId.of("America/Sao_Paulo")))
                .isEqualTo("1900-01-01 08:53:32-03:06");
    }
}
