package io.tidemark.core.change;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the shape every HarmonyLite change message has straight from its CBOR bytes into a
 * {@link ChangeEvent}: definite-length maps with text keys, the fields Go's struct writes, and row
 * values of the kinds SQLite gives (integers, float64, text, bytes, null, booleans, tag 32 times).
 * Anything else, valid or not, gives null, and the caller decodes that message the general way
 * ({@link ChangeCodec#fromCbor}), which also words every error. So this path never accepts what the
 * general one refuses, and gives what it gives (a test compares both on mutated messages).
 *
 * <p>Why: the general path builds Jackson's parser and a map per CBOR map for every message, ~75 µs
 * of CBOR work per 100 messages against ~25 here, on a thread that shares the builder's cores with
 * SQLite. Short ASCII names (columns, tables, types) come from a small cache, so each is one String
 * whose hash the applier's lookups compute once. Not thread-safe: one per reading thread.
 */
final class ChangeReader {
    /** Marks a message this reader leaves to the general path; thrown without a stack trace. */
    private static final class Elsewhere extends RuntimeException {
        Elsewhere() {
            super(null, null, false, false);
        }
    }

    private static final Elsewhere ELSEWHERE = new Elsewhere();
    private static final int NAME_SLOTS = 512;
    private static final int MAX_NAME = 64;
    private static final int MAX_TEXT = 64 << 20; // as Cbor's limit on text
    private static final int SEEN_NODE = 1;
    private static final int SEEN_PAYLOAD = 2;

    private final byte[][] nameBytes = new byte[NAME_SLOTS][];
    private final String[] names = new String[NAME_SLOTS];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] in;
    private int pos;
    // The payload's fields, as read.
    private long id;
    private String type;
    private String table;
    private Map<String, Object> row;
    private String schemaHash;

    /** The event, or null when the general path must decode this message. */
    ChangeEvent read(byte[] cbor) {
        in = cbor;
        pos = 0;
        type = null;
        table = null;
        row = null;
        schemaHash = null;
        id = 0;
        try {
            long node = envelope();
            if (pos != in.length || type == null || table == null || table.isEmpty() || row == null) {
                return null;
            }
            return new ChangeEvent(node, id, ChangeType.fromWire(type), table, row, schemaHash);
        } catch (Elsewhere | MalformedChangeException | DateTimeException | ArithmeticException e) {
            return null; // the general path gives its own answer, or its own words for the error
        } finally {
            in = null;
            row = null;
        }
    }

    private long envelope() {
        int entries = mapHead();
        int seen = 0;
        long node = 0;
        for (int i = 0; i < entries; i++) {
            String key = text(true);
            if (key.equals("FromNodeId") && (seen & SEEN_NODE) == 0) {
                seen |= SEEN_NODE;
                node = nodeId();
            } else if (key.equals("Payload") && (seen & SEEN_PAYLOAD) == 0) {
                seen |= SEEN_PAYLOAD;
                payload();
            } else {
                throw ELSEWHERE;
            }
        }
        return node;
    }

    /** A uint64 keeps its bits (as the general path's BigInteger does); a negative one must fit a long. */
    private long nodeId() {
        int major = major();
        if (major == 7 && in[pos] == (byte) 0xf6) {
            pos++;
            return 0;
        }
        if (major == 0) {
            return head();
        }
        return signed();
    }

    private void payload() {
        int entries = mapHead();
        int seen = 0;
        for (int i = 0; i < entries; i++) {
            String key = text(true);
            int bit = switch (key) {
                case "Id" -> 1;
                case "Type" -> 2;
                case "TableName" -> 4;
                case "Row" -> 8;
                case "sh" -> 16;
                default -> throw ELSEWHERE;
            };
            if ((seen & bit) != 0) {
                throw ELSEWHERE;
            }
            seen |= bit;
            switch (bit) {
                case 1 -> id = isNull() ? 0 : signed();
                case 2 -> type = text(true);
                case 4 -> table = text(true);
                case 8 -> row();
                default -> schemaHash = isNull() ? null : text(false);
            }
        }
    }

    private void row() {
        int entries = mapHead();
        row = new LinkedHashMap<>(entries * 2);
        for (int i = 0; i < entries; i++) {
            String column = text(true);
            row.put(column, value());
        }
    }

    private Object value() {
        int major = major();
        switch (major) {
            case 0, 1:
                return signed();
            case 2: {
                int length = length();
                byte[] bytes = java.util.Arrays.copyOfRange(in, pos, pos + length);
                pos += length;
                return bytes;
            }
            case 3:
                return text(false);
            case 6:
                return time();
            case 7:
                return simple();
            default:
                throw ELSEWHERE;
        }
    }

    /** HarmonyLite's tag 32 around {@code {1: seconds}}; see {@link ChangeCodec}. */
    private Object time() {
        if (head() != ChangeCodec.TIME_TAG) {
            throw ELSEWHERE;
        }
        int entries = mapHead();
        if (entries == 0) {
            return null;
        }
        if (entries != 1 || major() != 0 || head() != 1) {
            throw ELSEWHERE;
        }
        if (isNull()) {
            return GoTime.ZeroTime.VALUE;
        }
        if (major() == 7) {
            if (in[pos] != (byte) 0xfb) {
                throw ELSEWHERE;
            }
            double seconds = float64();
            if (!Double.isFinite(seconds)) {
                throw ELSEWHERE;
            }
            long whole = (long) Math.floor(seconds);
            return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
        }
        return Instant.ofEpochSecond(signed());
    }

    private Object simple() {
        int b = in[pos] & 0xff;
        switch (b) {
            case 0xf4: pos++; return 0L;
            case 0xf5: pos++; return 1L;
            case 0xf6: pos++; return null;
            case 0xfb: return float64();
            default: throw ELSEWHERE; // half and single floats, undefined, other simple values
        }
    }

    private double float64() {
        need(9);
        pos++;
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = bits << 8 | (in[pos++] & 0xff);
        }
        return Double.longBitsToDouble(bits);
    }

    private boolean isNull() {
        need(1);
        if (in[pos] == (byte) 0xf6) {
            pos++;
            return true;
        }
        return false;
    }

    /** An integer (major 0 or 1) that fits a signed long. */
    private long signed() {
        int major = major();
        if (major > 1) {
            throw ELSEWHERE;
        }
        long n = head();
        if (n < 0) {
            throw ELSEWHERE; // past 2^63: a BigInteger on the general path
        }
        return major == 0 ? n : -1 - n;
    }

    private int mapHead() {
        if (major() != 5) {
            throw ELSEWHERE;
        }
        long n = head();
        if (n < 0 || n > in.length - pos) {
            throw ELSEWHERE; // more entries than bytes left: truncated
        }
        return (int) n;
    }

    /** A definite text; names (short ASCII) come from the cache. */
    private String text(boolean name) {
        if (major() != 3) {
            throw ELSEWHERE;
        }
        int length = length();
        int start = pos;
        pos += length;
        boolean ascii = true;
        for (int i = start; i < pos && ascii; i++) {
            ascii = in[i] >= 0;
        }
        if (!ascii) {
            try {
                return utf8.decode(ByteBuffer.wrap(in, start, length)).toString();
            } catch (CharacterCodingException e) {
                throw ELSEWHERE;
            }
        }
        if (!name || length > MAX_NAME) {
            return new String(in, start, length, StandardCharsets.ISO_8859_1);
        }
        int hash = 0x811c9dc5; // FNV-1a
        for (int i = start; i < pos; i++) {
            hash = (hash ^ in[i]) * 0x01000193;
        }
        int slot = (hash ^ hash >>> 16) & (NAME_SLOTS - 1);
        byte[] known = nameBytes[slot];
        if (known != null && java.util.Arrays.equals(known, 0, known.length, in, start, pos)) {
            return names[slot];
        }
        String s = new String(in, start, length, StandardCharsets.ISO_8859_1);
        nameBytes[slot] = java.util.Arrays.copyOfRange(in, start, pos);
        names[slot] = s;
        return s;
    }

    /** A definite length of bytes that are all there. */
    private int length() {
        long n = head();
        if (n < 0 || n > MAX_TEXT || n > in.length - pos) {
            throw ELSEWHERE;
        }
        return (int) n;
    }

    private int major() {
        need(1);
        return (in[pos] & 0xff) >>> 5;
    }

    /** The argument of the head at {@code pos} (a uint64 in a long's bits); indefinite or reserved: elsewhere. */
    private long head() {
        need(1);
        int info = in[pos++] & 0x1f;
        if (info < 24) {
            return info;
        }
        int bytes = switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw ELSEWHERE;
        };
        need(bytes);
        long n = 0;
        for (int i = 0; i < bytes; i++) {
            n = n << 8 | (in[pos++] & 0xff);
        }
        return n;
    }

    private void need(int bytes) {
        if (in.length - pos < bytes) {
            throw ELSEWHERE;
        }
    }
}
