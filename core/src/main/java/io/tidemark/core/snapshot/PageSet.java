package io.tidemark.core.snapshot;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A page set: the SQLite pages one or more builds changed, to be written over the database the
 * layers before it rebuild. Compressed with zstd as one stream:
 *
 * <pre>
 *   "TMPAGES1"                 8 bytes, magic and version
 *   page size                  u32, bytes
 *   database pages             u32, the database's length in pages once applied (it may shrink)
 *   count                      u32, pages that follow
 *   count x (page number u32, page bytes)   page numbers from 1, strictly ascending
 *   sha256                     32 bytes, of everything above (uncompressed)
 * </pre>
 *
 * Integers are big-endian, as in SQLite's own file formats. The trailing sha256 lets a page set be
 * checked on its own; the manifest also records the sha256 of the compressed object and of the
 * whole database once every layer is applied. Ascending page numbers make merging and applying
 * one sequential pass.
 */
public final class PageSet {
    static final byte[] MAGIC = "TMPAGES1".getBytes(StandardCharsets.US_ASCII);

    private PageSet() {}

    /** The header of a page set. */
    public record Header(int pageSize, int databasePages, int count) {
        public long databaseBytes() {
            return (long) pageSize * databasePages;
        }
    }

    /** What {@link #write} wrote: the compressed object's size and sha256. */
    public record Written(long bytes, String sha256, int pages) {}

    /**
     * Writes the pages of {@code pages} (page numbers from 1) read from {@code db} as a compressed
     * page set to {@code out}, which is not closed.
     */
    public static Written write(FileChannel db, int pageSize, int databasePages, BitSet pages, int level,
                                OutputStream out) throws IOException {
        MessageDigest objectDigest = Hashing.sha256();
        CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(out, objectDigest));
        MessageDigest bodyDigest = Hashing.sha256();
        int count = pages.cardinality();
        try (ZstdOutputStream z = new ZstdOutputStream(new NonClosing(counted), level);
             DataOutputStream data = new DataOutputStream(new BufferedOutputStream(
                     new DigestOutputStream(z, bodyDigest), 1 << 16))) {
            data.write(MAGIC);
            data.writeInt(pageSize);
            data.writeInt(databasePages);
            data.writeInt(count);
            ByteBuffer page = ByteBuffer.allocate(pageSize);
            for (int p = pages.nextSetBit(1); p >= 0; p = pages.nextSetBit(p + 1)) {
                if (p > databasePages) {
                    throw new IllegalArgumentException("page " + p + " is past the database's " + databasePages + " pages");
                }
                page.clear();
                long at = (long) (p - 1) * pageSize;
                while (page.hasRemaining()) {
                    if (db.read(page, at + page.position()) < 0) {
                        throw new EOFException("database ends inside page " + p);
                    }
                }
                data.writeInt(p);
                data.write(page.array());
            }
            data.flush();
            z.write(bodyDigest.digest());
        }
        return new Written(counted.count, Hashing.hex(objectDigest), count);
    }

    /** Reads a compressed page set, checking its order and, at the end, its own sha256. */
    public static final class Reader implements AutoCloseable {
        private final DataInputStream data;
        private final MessageDigest digest = Hashing.sha256();
        private final InputStream raw;
        private final Header header;
        private final byte[] page;
        private int read;
        private int last;

        public Reader(InputStream compressed) throws IOException {
            this.raw = new ZstdInputStream(new BufferedInputStream(compressed, 1 << 16));
            // The digest sits above the buffer: it must see exactly the bytes consumed, not read-ahead.
            this.data = new DataInputStream(new DigestInputStream(new BufferedInputStream(raw, 1 << 16), digest));
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptSnapshotException("not a Tidemark page set (bad magic)");
            }
            header = new Header(data.readInt(), data.readInt(), data.readInt());
            if (header.pageSize() < 512 || header.pageSize() > 65536 || Integer.bitCount(header.pageSize()) != 1
                    || header.count() < 0 || header.databasePages() < 1 || header.count() > header.databasePages()) {
                throw new CorruptSnapshotException("page set header is invalid: " + header);
            }
            page = new byte[header.pageSize()];
        }

        public Header header() {
            return header;
        }

        /** The next page number, or -1 after the last page (the trailer is then checked). */
        public int next() throws IOException {
            if (read == header.count()) {
                byte[] expected = digest.digest();
                byte[] trailer = new byte[32];
                data.readFully(trailer);
                if (!Arrays.equals(expected, trailer)) {
                    throw new CorruptSnapshotException("page set fails its own sha256");
                }
                if (data.read() != -1) {
                    throw new CorruptSnapshotException("page set has bytes after its trailer");
                }
                read++;
                return -1;
            }
            if (read > header.count()) {
                return -1;
            }
            int p = data.readInt();
            if (p <= last || p > header.databasePages()) {
                throw new CorruptSnapshotException("page set lists page " + p + " after page " + last + " (of "
                        + header.databasePages() + ")");
            }
            data.readFully(page);
            last = p;
            read++;
            return p;
        }

        /** The bytes of the page {@link #next} returned; reused by the next call. */
        public byte[] page() {
            return page;
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    /**
     * Writes every page of the set over {@code target} and sets its length to the set's database
     * length. Returns the header. Throws {@link CorruptSnapshotException} on a damaged set.
     */
    public static Header apply(InputStream compressed, FileChannel target) throws IOException {
        try (Reader r = new Reader(compressed)) {
            Header h = r.header();
            ByteBuffer buf = ByteBuffer.wrap(r.page());
            for (int p; (p = r.next()) > 0; ) {
                buf.clear();
                long at = (long) (p - 1) * h.pageSize();
                while (buf.hasRemaining()) {
                    target.write(buf, at + buf.position());
                }
            }
            if (target.size() > h.databaseBytes()) {
                target.truncate(h.databaseBytes());
            } else if (target.size() < h.databaseBytes()) {
                throw new CorruptSnapshotException("page set leaves the database at " + target.size() + " bytes, short of"
                        + " its " + h.databasePages() + " pages: it does not apply to this base");
            }
            return h;
        } catch (com.github.luben.zstd.ZstdIOException | EOFException e) {
            throw new CorruptSnapshotException("page set is truncated or not valid zstd: " + e.getMessage(), e);
        }
    }

    /** The page numbers a set holds (checked against its trailer), without keeping the pages. */
    public static BitSet pageNumbers(InputStream compressed) throws IOException {
        try (Reader r = new Reader(compressed)) {
            BitSet pages = new BitSet(r.header().databasePages() + 1);
            for (int p; (p = r.next()) > 0; ) {
                pages.set(p);
            }
            return pages;
        } catch (com.github.luben.zstd.ZstdIOException | EOFException e) {
            throw new CorruptSnapshotException("page set is truncated or not valid zstd: " + e.getMessage(), e);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** The caller owns the underlying stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
