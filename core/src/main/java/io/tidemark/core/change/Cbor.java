package io.tidemark.core.change;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CBOR (RFC 8949) reader and writer covering what HarmonyLite's Go encoder
 * (fxamacker/cbor) emits: integers, floats, text, bytes, arrays, maps, tags, null and booleans.
 * Written by hand so that errors name the byte offset and so that encoding is byte-for-byte what
 * Go writes (minimal-length heads), which the shard hash depends on.
 */
public final class Cbor {
    private Cbor() {}

    /** A tagged value, such as HarmonyLite's tag 32 time wrapper. */
    public record Tagged(long tag, Object value) {}

    /** Decodes exactly one item; trailing bytes are an error. */
    public static Object decode(byte[] data) {
        Reader r = new Reader(data);
        Object value = r.read();
        if (r.pos != data.length) {
            throw new MalformedChangeException("trailing bytes after CBOR item at offset " + r.pos);
        }
        return value;
    }

    public static byte[] encode(Object value) {
        Writer w = new Writer();
        w.write(value);
        return w.toByteArray();
    }

    private static final class Reader {
        private final byte[] in;
        private int pos;
        private int depth;

        Reader(byte[] in) {
            this.in = in;
        }

        Object read() {
            if (++depth > 64) {
                throw new MalformedChangeException("CBOR nesting deeper than 64 at offset " + pos);
            }
            try {
                return readItem();
            } finally {
                depth--;
            }
        }

        private Object readItem() {
            int start = pos;
            int ib = u8();
            int major = ib >>> 5;
            int info = ib & 0x1f;
            switch (major) {
                case 0: return unsigned(argument(info, start));
                case 1: {
                    long n = argument(info, start);
                    if (n < 0) {
                        return BigInteger.valueOf(-1).subtract(new BigInteger(Long.toUnsignedString(n)));
                    }
                    return -1L - n;
                }
                case 2: return info == 31 ? indefiniteBytes(start) : bytes(length(info, start));
                case 3: return info == 31 ? new String(indefiniteBytes(start), StandardCharsets.UTF_8)
                        : new String(bytes(length(info, start)), StandardCharsets.UTF_8);
                case 4: {
                    List<Object> list = new ArrayList<>();
                    if (info == 31) {
                        while (!breakNext()) {
                            list.add(read());
                        }
                    } else {
                        int n = length(info, start);
                        for (int i = 0; i < n; i++) {
                            list.add(read());
                        }
                    }
                    return list;
                }
                case 5: {
                    Map<Object, Object> map = new LinkedHashMap<>();
                    if (info == 31) {
                        while (!breakNext()) {
                            map.put(read(), read());
                        }
                    } else {
                        int n = length(info, start);
                        for (int i = 0; i < n; i++) {
                            map.put(read(), read());
                        }
                    }
                    return map;
                }
                case 6: return new Tagged(argument(info, start), read());
                default: return simple(info, start);
            }
        }

        private Object simple(int info, int start) {
            switch (info) {
                case 20: return Boolean.FALSE;
                case 21: return Boolean.TRUE;
                case 22: case 23: return null;
                case 25: return halfToDouble((int) fixed(2));
                case 26: return (double) Float.intBitsToFloat((int) fixed(4));
                case 27: return Double.longBitsToDouble(fixed(8));
                default:
                    throw new MalformedChangeException("unsupported CBOR simple value " + info + " at offset " + start);
            }
        }

        private static double halfToDouble(int h) {
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            double v = exp == 0 ? mant * Math.pow(2, -24)
                    : exp == 31 ? (mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : (mant + 1024) * Math.pow(2, exp - 25);
            return (h & 0x8000) != 0 ? -v : v;
        }

        private static Object unsigned(long n) {
            return n >= 0 ? (Object) n : new BigInteger(Long.toUnsignedString(n));
        }

        private boolean breakNext() {
            if (pos >= in.length) {
                throw new MalformedChangeException("CBOR ends inside an indefinite-length item at offset " + pos);
            }
            if ((in[pos] & 0xff) == 0xff) {
                pos++;
                return true;
            }
            return false;
        }

        private byte[] indefiniteBytes(int start) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (!breakNext()) {
                int chunkStart = pos;
                int ib = u8();
                if ((ib >>> 5) != (in[start] & 0xff) >>> 5 || (ib & 0x1f) == 31) {
                    throw new MalformedChangeException("bad chunk in indefinite string at offset " + chunkStart);
                }
                out.writeBytes(bytes(length(ib & 0x1f, chunkStart)));
            }
            return out.toByteArray();
        }

        private long argument(int info, int start) {
            if (info < 24) {
                return info;
            }
            switch (info) {
                case 24: return fixed(1);
                case 25: return fixed(2);
                case 26: return fixed(4);
                case 27: return fixed(8);
                default:
                    throw new MalformedChangeException("invalid CBOR additional info " + info + " at offset " + start);
            }
        }

        private int length(int info, int start) {
            long n = argument(info, start);
            // Every element or byte takes at least one byte, so a length past the end is corrupt.
            if (n < 0 || n > in.length - pos) {
                throw new MalformedChangeException("CBOR length " + Long.toUnsignedString(n) + " at offset " + start
                        + " runs past the end (" + (in.length - pos) + " bytes remain)");
            }
            return (int) n;
        }

        private byte[] bytes(int n) {
            if (n > in.length - pos) {
                throw new MalformedChangeException("CBOR item needs " + n + " bytes at offset " + pos + " but only "
                        + (in.length - pos) + " remain");
            }
            byte[] b = new byte[n];
            System.arraycopy(in, pos, b, 0, n);
            pos += n;
            return b;
        }

        private long fixed(int n) {
            if (n > in.length - pos) {
                throw new MalformedChangeException("CBOR truncated at offset " + pos);
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (in[pos++] & 0xff);
            }
            return v;
        }

        private int u8() {
            if (pos >= in.length) {
                throw new MalformedChangeException("CBOR truncated at offset " + pos);
            }
            return in[pos++] & 0xff;
        }
    }

    /** Writer with minimal-length heads, as Go's encoder writes them. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

        public Writer write(Object v) {
            if (v == null) {
                out.write(0xf6);
            } else if (v instanceof Boolean b) {
                out.write(b ? 0xf5 : 0xf4);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                long n = ((Number) v).longValue();
                if (n >= 0) {
                    head(0, n);
                } else {
                    head(1, -1L - n);
                }
            } else if (v instanceof BigInteger big) {
                if (big.signum() >= 0) {
                    head(0, big.longValue());
                } else {
                    head(1, BigInteger.valueOf(-1).subtract(big).longValue());
                }
            } else if (v instanceof Double || v instanceof Float) {
                out.write(0xfb);
                long bits = Double.doubleToLongBits(((Number) v).doubleValue());
                for (int i = 7; i >= 0; i--) {
                    out.write((int) (bits >>> (i * 8)));
                }
            } else if (v instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                head(3, b.length);
                out.writeBytes(b);
            } else if (v instanceof byte[] b) {
                head(2, b.length);
                out.writeBytes(b);
            } else if (v instanceof Tagged t) {
                head(6, t.tag());
                write(t.value());
            } else if (v instanceof Map<?, ?> m) {
                head(5, m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    write(e.getKey());
                    write(e.getValue());
                }
            } else if (v instanceof List<?> l) {
                head(4, l.size());
                for (Object o : l) {
                    write(o);
                }
            } else {
                throw new IllegalArgumentException("cannot encode " + v.getClass().getName() + " as CBOR");
            }
            return this;
        }

        /** Starts an indefinite-length array; close it with {@link #endIndefinite()}. */
        public Writer startIndefiniteArray() {
            out.write(0x9f);
            return this;
        }

        public Writer endIndefinite() {
            out.write(0xff);
            return this;
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }

        private void head(int major, long n) {
            int m = major << 5;
            if (n >= 0 && n < 24) {
                out.write(m | (int) n);
            } else if (n >= 0 && n <= 0xff) {
                out.write(m | 24);
                out.write((int) n);
            } else if (n >= 0 && n <= 0xffff) {
                out.write(m | 25);
                out.write((int) (n >>> 8));
                out.write((int) n);
            } else if (n >= 0 && n <= 0xffffffffL) {
                out.write(m | 26);
                for (int i = 3; i >= 0; i--) {
                    out.write((int) (n >>> (i * 8)));
                }
            } else {
                out.write(m | 27);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) (n >>> (i * 8)));
                }
            }
        }
    }
}
