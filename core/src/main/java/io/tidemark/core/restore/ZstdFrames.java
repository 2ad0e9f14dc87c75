package io.tidemark.core.restore;

import com.github.luben.zstd.Zstd;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntFunction;

/**
 * Cuts a zstd stream into its frames without decompressing them, by their headers alone (RFC 8878
 * section 3.1.1: the frame header, then 3-byte block headers, then an optional checksum), so each
 * frame can go to its own decoder. Nothing has to be recorded beside the object: the object is read
 * sequentially anyway (its sha256 covers every byte), and walking the block headers costs a few
 * bytes per 128 KiB block. Only frames that declare their content size are cut; whether the first
 * frame does is what {@link #firstContentSize} tells.
 */
final class ZstdFrames {
    private static final int MAGIC = 0xFD2FB528;
    private static final int SKIPPABLE_MASK = 0xFFFFFFF0;
    private static final int SKIPPABLE = 0x184D2A50;
    /** Magic, descriptor, window, dictionary id (4) and content size (8). */
    private static final int MAX_HEADER = 18;

    /** One frame's bytes, {@code bytes[0, length)}, and the raw size it declares. */
    record Frame(int index, long offset, byte[] bytes, int length, int contentSize) {}

    private final InputStream in;
    private final int maxContent;
    private final IntFunction<byte[]> buffers;
    private long offset;
    private int index;
    private byte[] buf; // the frame being read

    /**
     * @param maxContent the largest raw size a frame may declare: the bound on memory per frame
     * @param buffers gives a buffer of at least the requested length (recycled ones welcome)
     */
    ZstdFrames(InputStream in, int maxContent, IntFunction<byte[]> buffers) {
        this.in = in;
        this.maxContent = maxContent;
        this.buffers = buffers;
    }

    /**
     * The content size the stream's first frame declares, or -1 when it declares none (a streaming
     * compressor's single frame, as every full layer before independent frames) or is no zstd frame.
     * Reads nothing: the stream is reset to where it was.
     */
    static long firstContentSize(BufferedInputStream in) throws IOException {
        in.mark(MAX_HEADER);
        byte[] h = in.readNBytes(MAX_HEADER);
        in.reset();
        if (h.length < 6 || (int) le(h, 0, 4) != MAGIC) {
            return -1;
        }
        int fhd = h[4] & 0xff;
        int fcs = fcsSize(fhd);
        int at = 5 + windowSize(fhd) + dictSize(fhd);
        if (fcs == 0 || h.length < at + fcs) {
            return -1;
        }
        return contentSize(h, at, fcs);
    }

    /** The next frame, or null at the end of the stream; skippable frames are read past. */
    Frame next() throws IOException {
        while (true) {
            byte[] magic = in.readNBytes(4);
            if (magic.length == 0) {
                return null;
            }
            if (magic.length < 4) {
                throw bad("the stream ends inside a frame's magic number");
            }
            int m = (int) le(magic, 0, 4);
            if ((m & SKIPPABLE_MASK) == SKIPPABLE) {
                long size = le(exactly(4), 0, 4);
                discard(size);
                offset += 8 + size;
                continue;
            }
            if (m != MAGIC) {
                throw bad("no zstd frame starts here (magic " + Integer.toHexString(m) + ")");
            }
            return frame(magic);
        }
    }

    private Frame frame(byte[] magic) throws IOException {
        int fhd = in.read();
        if (fhd < 0) {
            throw bad("the stream ends inside a frame header");
        }
        if ((fhd & 0x08) != 0) {
            throw bad("the frame header's reserved bit is set");
        }
        int fcs = fcsSize(fhd);
        if (fcs == 0) {
            throw bad("the frame declares no content size (not a frame of a framed full layer)");
        }
        int rest = windowSize(fhd) + dictSize(fhd) + fcs;
        byte[] head = exactly(rest);
        long content = contentSize(head, rest - fcs, fcs);
        if (content < 0 || content > maxContent) {
            throw bad("the frame declares " + content + " raw bytes, more than the " + maxContent + " a frame may hold");
        }
        // Raw blocks are the worst case: the content plus 3 bytes per 128 KiB block, well inside the bound.
        int limit = (int) Zstd.compressBound(content) + MAX_HEADER + 4 + 64;
        // Sized as the frame needs, not its bound: a recycled buffer usually fits; a new one grows.
        buf = buffers.apply(Math.min(limit, 1 << 20));
        System.arraycopy(magic, 0, buf, 0, 4);
        buf[4] = (byte) fhd;
        System.arraycopy(head, 0, buf, 5, rest);
        int n = 5 + rest;
        boolean last = false;
        while (!last) {
            n = read(n, 3, limit);
            int bh = (int) le(buf, n - 3, 3);
            last = (bh & 1) != 0;
            int type = (bh >>> 1) & 3;
            int size = bh >>> 3;
            if (type == 3) {
                throw bad("a block has the reserved type");
            }
            n = read(n, type == 1 ? 1 : size, limit); // an RLE block stores its one byte
        }
        if ((fhd & 0x04) != 0) {
            n = read(n, 4, limit);
        }
        Frame f = new Frame(index++, offset, buf, n, (int) content);
        offset += n;
        return f;
    }

    private int read(int at, int len, int limit) throws IOException {
        if (at + len > limit) {
            throw bad("the frame's blocks run past what its content size can compress to");
        }
        if (at + len > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.min(limit, Math.max(at + len, 2 * buf.length)));
        }
        if (in.readNBytes(buf, at, len) < len) {
            throw bad("the stream ends inside a frame");
        }
        return at + len;
    }

    private byte[] exactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw bad("the stream ends inside a frame header");
        }
        return b;
    }

    /** Reads (not skips) so a digest below sees the bytes too. */
    private void discard(long n) throws IOException {
        byte[] sink = new byte[8192];
        while (n > 0) {
            int r = in.read(sink, 0, (int) Math.min(sink.length, n));
            if (r < 0) {
                throw bad("the stream ends inside a skippable frame");
            }
            n -= r;
        }
    }

    private CorruptSnapshotException bad(String problem) {
        return new CorruptSnapshotException("zstd frame " + index + " at byte " + offset + ": " + problem);
    }

    private static int fcsSize(int fhd) {
        return switch (fhd >>> 6) {
            case 0 -> (fhd & 0x20) != 0 ? 1 : 0;
            case 1 -> 2;
            case 2 -> 4;
            default -> 8;
        };
    }

    private static int windowSize(int fhd) {
        return (fhd & 0x20) != 0 ? 0 : 1; // single-segment frames have no window descriptor
    }

    private static int dictSize(int fhd) {
        return new int[] {0, 1, 2, 4}[fhd & 3];
    }

    private static long contentSize(byte[] b, int at, int size) {
        long v = le(b, at, size);
        return size == 2 ? v + 256 : v;
    }

    private static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
