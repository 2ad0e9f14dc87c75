package io.tidemark.core.change;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link ChangeReader} must give what the general path ({@link ChangeCodec#fromCbor}) gives, or
 * leave the message to it: on real HarmonyLite messages, on random events, and on random damage.
 */
class ChangeReaderTest {
    /** The general path's answer as text: the event with every value's class, or the error. */
    private static String outcome(Supplier<ChangeEvent> decode) {
        try {
            return describe(decode.get());
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String describe(ChangeEvent e) {
        StringBuilder sb = new StringBuilder().append(e.fromNodeId()).append('|').append(e.id()).append('|')
                .append(e.type()).append('|').append(e.table()).append('|').append(e.schemaHash());
        e.row().forEach((k, v) -> sb.append('|').append(k).append('=')
                .append(v == null ? "null" : v.getClass().getSimpleName()).append(':')
                .append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v)));
        return sb.toString();
    }

    /** What a build gets: a ChangeDecoder reads with its ChangeReader, else the general path. */
    private static String viaReader(ChangeDecoder decoder, byte[] cbor) {
        return outcome(() -> decoder.decode(cbor));
    }

    @Test
    void realHarmonyLiteMessages_areReadDirectly_asTheGeneralPathReadsThem() {
        ChangeReader reader = new ChangeReader();
        ChangeDecoder decoder = new ChangeDecoder(false);
        List<String> direct = new ArrayList<>();
        for (JsonNode v : GoldenVectorsTest.capture("cbor").get("vectors")) {
            String file = v.get("file").asText();
            byte[] cbor = GoldenVectorsTest.resource(file);
            assertThat(viaReader(decoder, cbor)).as(file).isEqualTo(outcome(() -> ChangeCodec.fromCbor(cbor)));
            if (reader.read(cbor) != null) {
                direct.add(file);
            }
        }
        // Go writes the infinities as half floats, left to the general path; bad UTF-8 is its error.
        assertThat(direct).hasSize(20).contains("int_insert.cbor", "comp_delete.cbor", "rowid_delete.cbor",
                "empty_blob_nulls.cbor", "real_max.cbor", "time_unparsable.cbor", "sort_insert.cbor")
                .doesNotContain("invalid_utf8_text.cbor", "real_pos_inf.cbor", "real_neg_inf.cbor");
    }

    @Test
    void randomEvents_areReadDirectly_andEqualTheGeneralPath() {
        Random rnd = new Random(7);
        ChangeReader reader = new ChangeReader();
        ChangeDecoder decoder = new ChangeDecoder(false);
        for (int i = 0; i < 3_000; i++) {
            byte[] cbor = ChangeCodec.encode(randomEvent(rnd), false);
            assertThat(reader.read(cbor)).as("message %d", i).isNotNull();
            assertThat(viaReader(decoder, cbor)).isEqualTo(outcome(() -> ChangeCodec.fromCbor(cbor)));
        }
    }

    @Test
    void damagedMessages_giveTheGeneralPathsEventOrError() {
        Random rnd = new Random(11);
        ChangeDecoder decoder = new ChangeDecoder(false);
        int[] special = {0x00, 0x17, 0x18, 0x1b, 0x1f, 0x3b, 0x40, 0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0, 0xa1, 0xbf, 0xc0,
                0xc2, 0xd8, 0xdb, 0xe0, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xff};
        int events = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] cbor = ChangeCodec.encode(randomEvent(rnd), false);
            byte[] bad = switch (rnd.nextInt(4)) {
                case 0 -> java.util.Arrays.copyOf(cbor, rnd.nextInt(cbor.length));
                case 1 -> flip(cbor, rnd.nextInt(cbor.length), (byte) (1 << rnd.nextInt(8)));
                case 2 -> set(cbor, rnd.nextInt(cbor.length), (byte) special[rnd.nextInt(special.length)]);
                default -> insert(cbor, rnd.nextInt(cbor.length + 1), (byte) special[rnd.nextInt(special.length)]);
            };
            String expected = outcome(() -> ChangeCodec.fromCbor(bad));
            assertThat(viaReader(decoder, bad)).as("mutation %d of %s", i, HexFormat.of().formatHex(cbor))
                    .isEqualTo(expected);
            events += expected.contains("Exception: ") ? 0 : 1;
        }
        assertThat(events).as("damaged messages that still decode").isGreaterThan(1_000);
    }

    private static byte[] flip(byte[] b, int at, byte bit) {
        byte[] c = b.clone();
        c[at] ^= bit;
        return c;
    }

    private static byte[] set(byte[] b, int at, byte v) {
        byte[] c = b.clone();
        c[at] = v;
        return c;
    }

    private static byte[] insert(byte[] b, int at, byte v) {
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, at);
        c[at] = v;
        System.arraycopy(b, at, c, at + 1, b.length - at);
        return c;
    }

    private static ChangeEvent randomEvent(Random rnd) {
        List<String> tables = List.of("users", "orders", "t", "日本", "x".repeat(70));
        Map<String, Object> row = new LinkedHashMap<>();
        int columns = rnd.nextInt(7);
        for (int c = 0; c < columns; c++) {
            row.put(List.of("id", "name", "at", "blob", "v", "é", "rowid", "c" + c).get(rnd.nextInt(8)), randomValue(rnd));
        }
        ChangeType type = ChangeType.values()[rnd.nextInt(ChangeType.values().length)];
        long node = rnd.nextBoolean() ? rnd.nextInt(100) : rnd.nextLong();
        String sh = rnd.nextInt(4) == 0 ? Long.toHexString(rnd.nextLong()) : null;
        return new ChangeEvent(node, rnd.nextInt(3) == 0 ? -rnd.nextInt(1000) : rnd.nextLong() >>> 1,
                type, tables.get(rnd.nextInt(tables.size())), row, sh);
    }

    private static Object randomValue(Random rnd) {
        return switch (rnd.nextInt(12)) {
            case 0 -> null;
            case 1 -> (long) rnd.nextInt(50) - 25;
            case 2 -> rnd.nextLong();
            case 3 -> Set.of(Long.MIN_VALUE, Long.MAX_VALUE, 255L, 65_536L).stream().skip(rnd.nextInt(4)).findFirst().get();
            case 4 -> rnd.nextDouble() * 1e6 - 5e5;
            case 5 -> rnd.nextBoolean() ? -0.0 : Double.MIN_VALUE;
            case 6 -> "text " + rnd.nextInt(1000);
            case 7 -> "héllo 日本 😀".substring(0, rnd.nextInt(6));
            case 8 -> {
                byte[] b = new byte[rnd.nextInt(40)];
                rnd.nextBytes(b);
                yield b;
            }
            case 9 -> Instant.ofEpochSecond(rnd.nextInt() & 0x7fffffffL);
            case 10 -> GoTime.ZeroTime.VALUE;
            default -> "x".repeat(rnd.nextInt(300));
        };
    }
}
