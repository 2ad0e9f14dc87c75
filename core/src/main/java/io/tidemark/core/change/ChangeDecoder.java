package io.tidemark.core.change;

import com.github.luben.zstd.ZstdDecompressCtx;

/**
 * Decodes a run of change messages on one thread, keeping one zstd context for all of them.
 * {@link ChangeCodec#decode} creates a context per message (it allocates and initialises a ~100 KiB
 * native decoder each time): measured on the build bench's messages (~180 bytes), that was ~9 µs of
 * a ~10 µs decode, and it made the reader, not SQLite, the bottleneck of a build. The CBOR is read
 * by a {@link ChangeReader} where it can be. Not thread-safe; close it to free the native context.
 */
public final class ChangeDecoder implements AutoCloseable {
    private final boolean compressed;
    private final ChangeReader reader = new ChangeReader();
    private ZstdDecompressCtx ctx;

    public ChangeDecoder(boolean compressed) {
        this.compressed = compressed;
    }

    /** The same event {@link ChangeCodec#decode(byte[], boolean)} gives, and the same errors. */
    public ChangeEvent decode(byte[] data) {
        if (!compressed) {
            return fromCbor(data);
        }
        if (ctx == null) {
            ctx = new ZstdDecompressCtx();
        }
        byte[] cbor;
        try {
            cbor = ChangeCodec.decompress(data, ctx);
        } catch (MalformedChangeException e) {
            close(); // a context that failed mid-frame is not trusted with the next message
            throw e;
        }
        return fromCbor(cbor);
    }

    /** The common shape read directly; anything else (and every error) the general way. */
    private ChangeEvent fromCbor(byte[] cbor) {
        ChangeEvent event = reader.read(cbor);
        return event != null ? event : ChangeCodec.fromCbor(cbor);
    }

    @Override
    public void close() {
        if (ctx != null) {
            ctx.close();
            ctx = null;
        }
    }
}
