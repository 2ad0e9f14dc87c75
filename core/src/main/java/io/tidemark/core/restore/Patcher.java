package io.tidemark.core.restore;

import io.tidemark.core.snapshot.CorruptSnapshotException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The full database's bytes in, the rebuilt database out: each page a page set holds is overwritten
 * from the patch file as it passes, bytes past the database's length (it shrank) are dropped, and
 * {@link #finish} adds the pages past the full database's end (it grew) from the patch file. The
 * bytes need not arrive page-aligned: frames and the single-frame decoder cut them anywhere.
 * Patches in place: the buffers written are the inflater's own (see {@link FrameInflater}).
 */
final class Patcher extends OutputStream {
    private final OutputStream out;
    private final FileChannel patches;
    private final long[] at;
    private final int pageSize;
    private final long length;
    private long pos;
    private long written;

    /** {@code at[p]}: page p's offset + 1 in {@code patches}, 0 when no page set holds it. */
    Patcher(OutputStream out, FileChannel patches, long[] at, int pageSize, int pages) {
        this.out = out;
        this.patches = patches;
        this.at = at;
        this.pageSize = pageSize;
        this.length = (long) pages * pageSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        long end = Math.min(pos + len, length);
        if (end > pos) {
            for (long p = pos / pageSize + 1, start = (p - 1) * pageSize; start < end; p++, start += pageSize) {
                if (at[(int) p] != 0) {
                    long from = Math.max(pos, start);
                    long to = Math.min(end, start + pageSize);
                    read(at[(int) p] - 1 + (from - start), b, off + (int) (from - pos), (int) (to - from));
                }
            }
            out.write(b, off, (int) (end - pos));
            written += end - pos;
        }
        pos += len;
    }

    /** Adds the pages past the full database's end; each must come from a page set. */
    void finish() throws IOException {
        byte[] page = new byte[pageSize];
        while (pos < length) {
            long p = pos / pageSize + 1;
            if (at[(int) p] == 0) {
                throw new CorruptSnapshotException("the full database ends before page " + p + " and no page set"
                        + " holds it");
            }
            int into = (int) (pos - (p - 1) * pageSize);
            read(at[(int) p] - 1 + into, page, into, pageSize - into);
            out.write(page, into, pageSize - into);
            written += pageSize - into;
            pos += pageSize - into;
        }
    }

    /** Bytes written out: the rebuilt database's length once finished. */
    long written() {
        return written;
    }

    private void read(long offset, byte[] into, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(into, off, len);
        while (buf.hasRemaining()) {
            if (patches.read(buf, offset + buf.position() - off) < 0) {
                throw new IOException("the patch file ends early");
            }
        }
    }

    @Override
    public void close() {
        // the caller closes the writer underneath
    }
}
