package io.tidemark.core.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CborTest {
    private static Object hex(String h) {
        return Cbor.decode(HexFormat.of().parseHex(h));
    }

    @Test
    void decodesRfc8949Vectors() {
        assertThat(hex("1903e8")).isEqualTo(1000L);
        assertThat(hex("3903e7")).isEqualTo(-1000L);
        assertThat(hex("1bffffffffffffffff")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(hex("fb3ff199999999999a")).isEqualTo(1.1);
        assertThat(hex("f93e00")).isEqualTo(1.5);
        assertThat(hex("6449455446")).isEqualTo("IETF");
        assertThat(hex("4401020304")).isEqualTo(new byte[]{1, 2, 3, 4});
        assertThat(hex("f6")).isNull();
        assertThat(hex("9f018202039f0405ffff")).isEqualTo(List.of(1L, List.of(2L, 3L), List.of(4L, 5L)));
        assertThat(hex("a201020304")).isEqualTo(Map.of(1L, 2L, 3L, 4L));
        assertThat(hex("d82076687474703a2f2f7777772e6578616d706c652e636f6d"))
                .isEqualTo(new Cbor.Tagged(32, "http://www.example.com"));
    }

    @Test
    void encodesMinimalHeadsLikeGo() {
        assertThat(HexFormat.of().formatHex(Cbor.encode(1000L))).isEqualTo("1903e8");
        assertThat(HexFormat.of().formatHex(Cbor.encode(23L))).isEqualTo("17");
        assertThat(HexFormat.of().formatHex(Cbor.encode(24L))).isEqualTo("1818");
        assertThat(HexFormat.of().formatHex(Cbor.encode(-1L))).isEqualTo("20");
        assertThat(HexFormat.of().formatHex(Cbor.encode(1.1))).isEqualTo("fb3ff199999999999a");
    }

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1L, "two", new byte[]{3}, 4.5));
        m.put("t", new Cbor.Tagged(32, Map.of(1L, 1_700_000_000L)));
        m.put("n", null);
        Object back = Cbor.decode(Cbor.encode(m));
        assertThat(back).usingRecursiveComparison().isEqualTo(m);
    }

    @Test
    void truncatedInput_namesTheOffset() {
        assertThatThrownBy(() -> hex("a2646b6579")).isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining("offset");
        assertThatThrownBy(() -> hex("5affffffff")).isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining("at offset 5").hasMessageContaining("end-of-input");
        assertThatThrownBy(() -> hex("0102")).hasMessageContaining("trailing bytes");
    }

    @Test
    void floatsAsGoWritesThem_nanAndInfinitiesAsHalfFloats() {
        assertThat(HexFormat.of().formatHex(Cbor.encode(Double.NaN))).isEqualTo("f97e00");
        assertThat(HexFormat.of().formatHex(Cbor.encode(Double.POSITIVE_INFINITY))).isEqualTo("f97c00");
        assertThat(HexFormat.of().formatHex(Cbor.encode(Double.NEGATIVE_INFINITY))).isEqualTo("f9fc00");
        assertThat(HexFormat.of().formatHex(Cbor.encode(-0.0))).isEqualTo("fb8000000000000000");
        assertThat(HexFormat.of().formatHex(Cbor.encode(List.of(Double.NaN, 1L)))).isEqualTo("82f97e0001");
        assertThat((Double) hex("f97e00")).isNaN();
        assertThat(hex("fa7f800000")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void unsigned64BitIntegers_andLongStrings_useGoHeads() {
        BigInteger max = new BigInteger("18446744073709551615");
        assertThat(HexFormat.of().formatHex(Cbor.encode(max))).isEqualTo("1bffffffffffffffff");
        assertThat(HexFormat.of().formatHex(Cbor.encode(new BigInteger("-18446744073709551616")))).isEqualTo("3bffffffffffffffff");
        assertThat(HexFormat.of().formatHex(Cbor.encode(Long.MIN_VALUE))).isEqualTo("3b7fffffffffffffff");
        String longText = "x".repeat(70_000); // Jackson would chunk this; Go writes one definite string
        byte[] enc = Cbor.encode(Map.of(longText, longText));
        assertThat(HexFormat.of().formatHex(enc, 0, 6)).isEqualTo("a17a00011170");
        assertThat(enc).hasSize(2 * (5 + 70_000) + 1);
        assertThat(Cbor.decode(enc)).isEqualTo(Map.of(longText, longText));
    }

    @Test
    void integerMapKeys_stayIntegers_textKeysStayText() {
        assertThat(hex("a2016161616102")).isEqualTo(Map.of(1L, "a", "a", 2L));
        assertThatThrownBy(() -> hex("a1f6f6")).isInstanceOf(MalformedChangeException.class)
                .hasMessageContaining("offset 2").hasMessageContaining("major type (7)");
    }
}
