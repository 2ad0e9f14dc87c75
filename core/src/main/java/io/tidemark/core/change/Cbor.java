package io.tidemark.core.change;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CBOR (RFC 8949) as HarmonyLite's Go encoder (fxamacker/cbor v2.9, default options) writes it,
 * on top of Jackson's CBOR parser and generator.
 *
 * <p>Decoding gives Long (BigInteger past 64-bit signed), Double, String, byte[], List, Map (in wire
 * order; keys String or Long), {@link Tagged}, Boolean or null. Invalid UTF-8 in a text string is an
 * error, as it is for Go's decoder. Errors are {@link MalformedChangeException}s naming the byte
 * offset.
 *
 * <p>Encoding is byte-for-byte what Go writes: minimal-length heads, definite lengths, float64 as 8
 * bytes but NaN and ±Inf as the half floats {@code f97e00}, {@code f97c00}, {@code f9fc00}, maps in
 * the iteration order given (Go writes struct fields in declaration order and, with its default
 * {@code SortNone}, maps in iteration order). Jackson's generator writes each scalar; container and
 * half-float heads are written here, because Jackson counts definite-length elements itself and
 * cannot write half floats.
 */
public final class Cbor {
    private static final int MAX_DEPTH = 64;
    /** Go sets no limit below its 64 MiB message bound; Jackson's defaults (50k names) would reject columns Go accepts. */
    private static final int MAX_TEXT = 64 << 20;
    private static final CBORFactory FACTORY = CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 8)
                    .maxNameLength(MAX_TEXT).maxStringLength(MAX_TEXT).build())
            .build();

    private Cbor() {}

    /** A tagged value, such as HarmonyLite's tag 32 time wrapper. */
    public record Tagged(long tag, Object value) {}

    /** Decodes exactly one item; trailing bytes are an error. */
    public static Object decode(byte[] data) {
        try (CBORParser p = (CBORParser) FACTORY.createParser(data)) {
            if (p.nextToken() == null) {
                throw new MalformedChangeException("CBOR truncated at offset 0");
            }
            Object value = new Reader(p, data).value(0);
            long end = p.currentLocation().getByteOffset();
            if (end != data.length) {
                throw new MalformedChangeException("trailing bytes after CBOR item at offset " + end);
            }
            return value;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new MalformedChangeException("malformed CBOR at offset " + (at == null ? -1 : at.getByteOffset())
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] encode(Object value) {
        return new Writer().write(value).toByteArray();
    }

    private record Reader(CBORParser p, byte[] in) {
        Object value(int depth) throws IOException {
            int start = (int) p.getTokenLocation().getByteOffset();
            if (depth >= MAX_DEPTH) {
                throw new MalformedChangeException("CBOR nesting deeper than " + MAX_DEPTH + " at offset " + start);
            }
            CBORParser.TagList tags = p.getCurrentTags();
            if (tags.size() > 1) {
                throw new MalformedChangeException("nested CBOR tags at offset " + start);
            }
            int tag = tags.isEmpty() ? -1 : tags.getFirstTag();
            Object v = untagged(depth, start);
            return tag == -1 ? v : new Tagged(Integer.toUnsignedLong(tag), v);
        }

        private Object untagged(int depth, int start) throws IOException {
            JsonToken t = p.currentToken();
            switch (t) {
                case START_ARRAY: {
                    List<Object> list = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        list.add(value(depth + 1));
                    }
                    return list;
                }
                case START_OBJECT: {
                    Map<Object, Object> map = new LinkedHashMap<>();
                    while (p.nextToken() != JsonToken.END_OBJECT) {
                        Object key = key((int) p.getTokenLocation().getByteOffset());
                        p.nextToken();
                        map.put(key, value(depth + 1));
                    }
                    return map;
                }
                case VALUE_NUMBER_INT:
                    return p.getNumberType() == CBORParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
                case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
                case VALUE_STRING: return p.getText();
                case VALUE_EMBEDDED_OBJECT: return p.getBinaryValue();
                case VALUE_TRUE: return Boolean.TRUE;
                case VALUE_FALSE: return Boolean.FALSE;
                case VALUE_NULL: return null;
                default:
                    throw new MalformedChangeException("unsupported CBOR item " + t + " at offset " + start);
            }
        }

        /** Jackson turns integer keys into names; the key's first byte tells which it was. */
        private Object key(int at) throws IOException {
            int major = (in[at] & 0xff) >>> 5;
            if (major == 0 || major == 1) {
                return Long.parseLong(p.currentName());
            }
            if (major != 3) {
                throw new MalformedChangeException("unsupported CBOR map key (major type " + major + ") at offset " + at);
            }
            return p.currentName();
        }
    }

    /** Writes one or more items in sequence, as Go's encoder would; not thread-safe. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        private final CBORGenerator g;

        public Writer() {
            try {
                g = FACTORY.createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Writer write(Object v) {
            try {
                item(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Starts an indefinite-length array; close it with {@link #endIndefinite()}. */
        public Writer startIndefiniteArray() {
            return raw(0x9f);
        }

        public Writer endIndefinite() {
            return raw(0xff);
        }

        public byte[] toByteArray() {
            try {
                g.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        private void item(Object v) throws IOException {
            // Every item is a root value for Jackson, so it never counts container elements.
            if (v == null) {
                g.writeNull();
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                g.writeNumber(((Number) v).longValue());
            } else if (v instanceof BigInteger big) {
                bigInteger(big);
            } else if (v instanceof Double || v instanceof Float) {
                float64(((Number) v).doubleValue());
            } else if (v instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                g.writeUTF8String(b, 0, b.length);
            } else if (v instanceof byte[] b) {
                g.writeBinary(b);
            } else if (v instanceof Tagged t) {
                head(6, t.tag());
                item(t.value());
            } else if (v instanceof Map<?, ?> m) {
                head(5, m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    item(e.getKey());
                    item(e.getValue());
                }
            } else if (v instanceof List<?> l) {
                head(4, l.size());
                for (Object o : l) {
                    item(o);
                }
            } else {
                throw new IllegalArgumentException("cannot encode " + v.getClass().getName() + " as CBOR");
            }
        }

        private void float64(double d) throws IOException {
            if (Double.isNaN(d)) {
                g.writeBytes(new byte[] {(byte) 0xf9, 0x7e, 0x00}, 0, 3);
            } else if (Double.isInfinite(d)) {
                g.writeBytes(new byte[] {(byte) 0xf9, (byte) (d > 0 ? 0x7c : 0xfc), 0x00}, 0, 3);
            } else {
                g.writeNumber(d);
            }
        }

        /** Integers past 64-bit signed: Go's uint64 (major 0) or a negative down to -2^64 (major 1). */
        private void bigInteger(BigInteger big) throws IOException {
            if (big.bitLength() <= 63) {
                g.writeNumber(big.longValue());
            } else if (big.signum() > 0 && big.bitLength() <= 64) {
                head(0, big.longValue());
            } else if (big.signum() < 0 && big.negate().subtract(BigInteger.ONE).bitLength() <= 64) {
                head(1, big.negate().subtract(BigInteger.ONE).longValue());
            } else {
                throw new IllegalArgumentException("integer " + big + " does not fit a CBOR head");
            }
        }

        private Writer raw(int b) {
            try {
                g.writeRaw((byte) b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** A minimal-length head; {@code n} is unsigned. */
        private void head(int major, long n) throws IOException {
            int m = major << 5;
            int size = Long.compareUnsigned(n, 24) < 0 ? 0 : Long.compareUnsigned(n, 0xff) <= 0 ? 1
                    : Long.compareUnsigned(n, 0xffff) <= 0 ? 2 : Long.compareUnsigned(n, 0xffffffffL) <= 0 ? 4 : 8;
            byte[] b = new byte[1 + size];
            b[0] = (byte) (size == 0 ? m | (int) n : m | (23 + Integer.numberOfTrailingZeros(size) + 1));
            for (int i = 0; i < size; i++) {
                b[size - i] = (byte) (n >>> (8 * i));
            }
            g.writeBytes(b, 0, b.length);
        }
    }
}
