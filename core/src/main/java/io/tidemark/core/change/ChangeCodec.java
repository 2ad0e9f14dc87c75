package io.tidemark.core.change;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes and encodes HarmonyLite change messages: {@code {FromNodeId: uint64, Payload: {Id, Type,
 * TableName, Row}}} in Go's struct field order (plus Tidemark's optional {@code sh}). Messages in
 * {@code -c} streams are zstd frames around the CBOR. Times travel as tag 32 around
 * {@code {1: unix seconds}} and decode to {@link Instant}; the applier turns them into text in the
 * replaying node's zone (see {@link GoTime}). Row columns keep their wire order (Go writes maps in
 * its random iteration order), so {@link #encode(ChangeEvent, boolean)} gives the bytes back. Text
 * with invalid UTF-8 is rejected, as every HarmonyLite node rejects it. See docs/wire-format.md.
 */
public final class ChangeCodec {
    /** HarmonyLite's tag for its time wrapper. */
    public static final long TIME_TAG = 32;
    private static final int MAX_MESSAGE_BYTES = 64 << 20;

    private ChangeCodec() {}

    /** Decodes one message. For many messages on one thread, a {@link ChangeDecoder} is ~8x faster. */
    public static ChangeEvent decode(byte[] data, boolean compressed) {
        return fromCbor(compressed ? decompress(data, null) : data);
    }

    /** Decodes the CBOR of a message (already decompressed). */
    static ChangeEvent fromCbor(byte[] cbor) {
        if (!(Cbor.decode(cbor) instanceof Map<?, ?> envelope)) {
            throw new MalformedChangeException("message is not a CBOR map {FromNodeId, Payload}");
        }
        if (!(envelope.get("Payload") instanceof Map<?, ?> payload)) {
            throw new MalformedChangeException("message has no Payload map");
        }
        long node = envelope.get("FromNodeId") == null ? 0 : asLong(envelope.get("FromNodeId"), "FromNodeId", true);
        Object type = payload.get("Type");
        Object table = payload.get("TableName");
        if (!(type instanceof String typeName)) {
            throw new MalformedChangeException("Payload.Type is missing or not text");
        }
        if (!(table instanceof String tableName) || tableName.isEmpty()) {
            throw new MalformedChangeException("Payload.TableName is missing or not text");
        }
        Object rawRow = payload.get("Row");
        if (!(rawRow instanceof Map<?, ?> rowMap)) {
            throw new MalformedChangeException("Payload.Row of table " + tableName + " is missing or not a map");
        }
        Map<String, Object> row = new LinkedHashMap<>(rowMap.size() * 2);
        for (Map.Entry<?, ?> e : rowMap.entrySet()) {
            if (!(e.getKey() instanceof String column)) {
                throw new MalformedChangeException("Payload.Row of table " + tableName + " has a non-text column name");
            }
            row.put(column, toSqlValue(e.getValue(), tableName, column));
        }
        long id = payload.get("Id") == null ? 0 : asLong(payload.get("Id"), "Payload.Id", false);
        Object sh = payload.get("sh");
        return new ChangeEvent(node, id, ChangeType.fromWire(typeName), tableName, row,
                sh instanceof String s ? s : null);
    }

    /** Encodes a decoded event back to the bytes a node sends (zstd-compressed for {@code -c} streams). */
    public static byte[] encode(ChangeEvent e, boolean compressed) {
        return encode(e.fromNodeId(), e.id(), e.type(), e.table(), e.row(), e.schemaHash(), compressed);
    }

    /**
     * Encodes as a HarmonyLite node would. Row values may be Long, Integer, Double, String, byte[],
     * null, {@link Instant} (sent as the tag 32 time wrapper, whole seconds as Go sends it) or
     * {@link GoTime.ZeroTime} (the wrapper around Go's zero time), in the
     * row map's iteration order. {@code fromNodeId} is unsigned 64-bit.
     */
    public static byte[] encode(long fromNodeId, long id, ChangeType type, String table, Map<String, Object> row,
                                String schemaHash, boolean compressed) {
        Map<String, Object> wireRow = new LinkedHashMap<>();
        row.forEach((k, v) -> wireRow.put(k, v instanceof Instant || v == GoTime.ZeroTime.VALUE ? timeWrapper(v) : v));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("Id", id);
        payload.put("Type", type.wire());
        payload.put("TableName", table);
        payload.put("Row", wireRow);
        if (schemaHash != null) {
            payload.put("sh", schemaHash);
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("FromNodeId", fromNodeId >= 0 ? (Object) fromNodeId : unsigned(fromNodeId));
        envelope.put("Payload", payload);
        byte[] cbor = Cbor.encode(envelope);
        return compressed ? Zstd.compress(cbor, 3) : cbor;
    }

    private static BigInteger unsigned(long bits) {
        return new BigInteger(Long.toUnsignedString(bits));
    }

    private static Cbor.Tagged timeWrapper(Object t) {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(1L, t instanceof Instant i ? (Object) i.getEpochSecond() : null);
        return new Cbor.Tagged(TIME_TAG, m);
    }

    /** Decompresses one zstd message, with {@code ctx} when given (reusing it), else with a fresh context. */
    static byte[] decompress(byte[] data, ZstdDecompressCtx ctx) {
        try {
            long size = Zstd.getFrameContentSize(data);
            if (size > 0 && size <= MAX_MESSAGE_BYTES) {
                return ctx != null ? ctx.decompress(data, (int) size) : Zstd.decompress(data, (int) size);
            }
            // Size not in the frame header (or not a frame at all): stream it, bounded.
            try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(data))) {
                byte[] out = in.readNBytes(MAX_MESSAGE_BYTES);
                if (in.read() != -1) {
                    throw new MalformedChangeException("zstd message decompresses past " + MAX_MESSAGE_BYTES + " bytes");
                }
                return out;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedChangeException m) {
                throw m;
            }
            throw new MalformedChangeException("zstd decompression failed: " + e.getMessage(), e);
        }
    }

    private static Object toSqlValue(Object v, String table, String column) {
        if (v == null || v instanceof Long || v instanceof Double || v instanceof String || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof BigInteger big) {
            // SQLite integers are signed 64-bit; a larger Go uint64 could not have come from SQLite.
            throw new MalformedChangeException("column " + table + "." + column + " holds an integer outside 64 bits");
        }
        if (v instanceof Cbor.Tagged t && t.tag() == TIME_TAG && t.value() instanceof Map<?, ?> m) {
            Object secs = m.get(1L);
            if (secs == null) {
                // {1: null} is Go's zero time, {} a nil pointer (never sent): both are NULL in SQLite
                return m.containsKey(1L) ? GoTime.ZeroTime.VALUE : null;
            }
            if (secs instanceof Long l) {
                return Instant.ofEpochSecond(l);
            }
            if (secs instanceof Double d && Double.isFinite(d)) {
                long whole = (long) Math.floor(d);
                return Instant.ofEpochSecond(whole, Math.round((d - whole) * 1e9));
            }
        }
        throw new MalformedChangeException("column " + table + "." + column + " holds an unsupported CBOR value ("
                + (v instanceof Cbor.Tagged t ? "tag " + t.tag() : v.getClass().getSimpleName()) + ")");
    }

    private static long asLong(Object v, String field, boolean unsigned) {
        if (v instanceof Long l) {
            return l;
        }
        if (unsigned && v instanceof BigInteger big && big.signum() > 0 && big.bitLength() <= 64) {
            return big.longValue(); // node ids are uint64: keep the bits, read with Long.toUnsignedString
        }
        throw new MalformedChangeException(field + " is not a" + (unsigned ? "n unsigned" : " signed") + " 64-bit integer");
    }
}
