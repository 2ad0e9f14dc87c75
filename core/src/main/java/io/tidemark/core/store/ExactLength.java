package io.tidemark.core.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Bodies that must be exactly as long as announced. A backend that replaces an object streams
 * through these, so a short or long body fails inside the write, before the old object goes.
 */
public final class ExactLength {
    private ExactLength() {}

    /** Copies exactly {@code length} bytes; throws naming {@code key} when the body is shorter or longer. */
    public static long copy(String key, InputStream body, long length, OutputStream out) throws IOException {
        return stream(key, body, length).transferTo(out);
    }

    /**
     * A view of {@code body} that fails at its end unless it held exactly {@code length} bytes;
     * {@code body} itself when the length is {@link SnapshotStore#UNKNOWN_LENGTH}.
     */
    public static InputStream stream(String key, InputStream body, long length) {
        if (length == SnapshotStore.UNKNOWN_LENGTH) {
            return body;
        }
        return new FilterInputStream(body) {
            private long seen;

            @Override
            public int read() throws IOException {
                int b = super.read();
                check(b < 0 ? -1 : 1);
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                check(n);
                return n;
            }

            private void check(int n) throws IOException {
                if (n < 0) {
                    if (seen != length) {
                        throw new IOException("object " + key + ": expected " + length + " bytes, got " + seen);
                    }
                    return;
                }
                seen += n;
                if (seen > length) {
                    throw new IOException("object " + key + ": the body is longer than " + length + " bytes");
                }
            }
        };
    }
}
