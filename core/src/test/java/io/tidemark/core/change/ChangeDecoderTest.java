package io.tidemark.core.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeDecoderTest {
    private static byte[] message(long id, boolean compressed) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", "row " + id + " ✓".repeat((int) id % 50));
        row.put("at", Instant.ofEpochSecond(1_700_000_000L + id));
        return ChangeCodec.encode(2, id, ChangeType.INSERT, "users", row, null, compressed);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void manyMessagesOnOneDecoder_decodeAsChangeCodecDoes(boolean compressed) {
        try (ChangeDecoder decoder = new ChangeDecoder(compressed)) {
            for (long id = 1; id <= 200; id++) {
                byte[] data = message(id, compressed);
                assertThat(decoder.decode(data)).usingRecursiveComparison().isEqualTo(ChangeCodec.decode(data, compressed));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aMalformedMessage_failsAsChangeCodecDoes_andTheNextDecodes(boolean compressed) {
        byte[] good = message(5, compressed);
        byte[] bad = java.util.Arrays.copyOf(good, good.length - 3);
        try (ChangeDecoder decoder = new ChangeDecoder(compressed)) {
            assertThatThrownBy(() -> decoder.decode(bad)).isInstanceOf(MalformedChangeException.class);
            assertThatThrownBy(() -> ChangeCodec.decode(bad, compressed)).isInstanceOf(MalformedChangeException.class);
            assertThat(decoder.decode(good)).usingRecursiveComparison().isEqualTo(ChangeCodec.decode(good, compressed));
        }
    }
}
