package io.tidemark.core.restore;

import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.DigestThread;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Puts the full database's bytes where they belong in the rebuilt file: each page a page set holds
 * is overwritten from the patch file first, bytes past the database's length (it shrank) are
 * dropped, and {@link #finish} adds the pages past the full database's end (it grew) from the patch
 * file. Writes are positional and the patch file is only read, so decoders call {@link #place} for
 * their frames side by side, in any order. Bytes need not arrive page-aligned: the single-frame
 * decoder cuts them anywhere. Patches in place: the buffers are the inflater's own.
 */
final class Patcher {
    private final FileChannel out;
    private final FileChannel patches;
    private final long[] at;
    private final int pageSize;
    private final long length;

    /**
     * {@code at[p]}: page p's offset + 1 in {@code patches}, 0 when no page set holds it; the
     * rebuilt database is {@code pages} pages long.
     */
    Patcher(FileChannel out, FileChannel patches, long[] at, int pageSize, int pages) {
        this.out = out;
        this.patches = patches;
        this.at = at;
        this.pageSize = pageSize;
        this.length = (long) pages * pageSize;
    }

    private Patcher(FileChannel out) {
        this.out = out;
        this.patches = null;
        this.at = null;
        this.pageSize = 0;
        this.length = Long.MAX_VALUE;
    }

    /** A full database restored as it is: no pages to patch, nothing dropped. */
    static Patcher plain(FileChannel out) {
        return new Patcher(out);
    }

    /**
     * Patches and writes {@code b[0, len)}, the full database's bytes from {@code pos}; returns how
     * many of them belong to the rebuilt database (the rest are past its end).
     */
    int place(byte[] b, int len, long pos) throws IOException {
        long end = Math.min(pos + len, length);
        if (end <= pos) {
            return 0;
        }
        if (patches != null) {
            for (long p = pos / pageSize + 1, start = (p - 1) * pageSize; start < end; p++, start += pageSize) {
                if (at[(int) p] != 0) {
                    long from = Math.max(pos, start);
                    long to = Math.min(end, start + pageSize);
                    read(at[(int) p] - 1 + (from - start), b, (int) (from - pos), (int) (to - from));
                }
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(b, 0, (int) (end - pos));
        while (buf.hasRemaining()) {
            out.write(buf, pos + buf.position());
        }
        return (int) (end - pos);
    }

    /**
     * Adds the pages from {@code pos}, where the full database ended, to the rebuilt database's
     * end; each must come from a page set. They go to {@code hasher} after everything before.
     */
    void finish(long pos, DigestThread hasher) throws IOException {
        while (pos < length) {
            long p = pos / pageSize + 1;
            if (at[(int) p] == 0) {
                throw new CorruptSnapshotException("the full database ends before page " + p + " and no page set"
                        + " holds it");
            }
            int into = (int) (pos - (p - 1) * pageSize);
            byte[] page = new byte[pageSize - into];
            read(at[(int) p] - 1 + into, page, 0, page.length);
            place(page, page.length, pos);
            hasher.add(page, 0, page.length, null);
            pos += page.length;
        }
    }

    private void read(long offset, byte[] into, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(into, off, len);
        while (buf.hasRemaining()) {
            if (patches.read(buf, offset + buf.position() - off) < 0) {
                throw new IOException("the patch file ends early");
            }
        }
    }
}
