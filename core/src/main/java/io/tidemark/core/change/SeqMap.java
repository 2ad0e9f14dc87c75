package io.tidemark.core.change;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/** HarmonyLite's {@code seq-map.cbor}: {stream name: last applied stream sequence}, as a CBOR map. */
public final class SeqMap {
    private SeqMap() {}

    public static Map<String, Long> decode(byte[] data) {
        Map<String, Long> out = new TreeMap<>();
        if (data.length == 0) {
            return out; // HarmonyLite creates the file empty before the first save
        }
        if (!(Cbor.decode(data) instanceof Map<?, ?> m)) {
            throw new MalformedChangeException("seq-map is not a CBOR map");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String stream) || !(e.getValue() instanceof Long seq) || seq < 0) {
                throw new MalformedChangeException("seq-map entry " + e.getKey() + " is not {text: unsigned int}");
            }
            out.put(stream, seq);
        }
        return out;
    }

    public static byte[] encode(Map<String, Long> positions) {
        return Cbor.encode(new TreeMap<>(positions));
    }

    public static Map<String, Long> read(Path file) {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read seq-map " + file, e);
        } catch (MalformedChangeException e) {
            throw new IllegalArgumentException("seq-map " + file + " is not a HarmonyLite seq-map (a CBOR map of"
                    + " stream name to sequence): " + e.getMessage(), e);
        }
    }

    /** Writes atomically (temp file, then rename) so a crash never leaves half a map. */
    public static void write(Path file, Map<String, Long> positions) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, encode(positions));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write seq-map " + file, e);
        }
    }
}
