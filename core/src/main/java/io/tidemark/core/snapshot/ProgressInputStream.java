package io.tidemark.core.snapshot;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports bytes read to a {@link Progress}, for downloads and uploads. */
public final class ProgressInputStream extends FilterInputStream {
    private final String phase;
    private final long total;
    private final Progress progress;
    private long done;

    public ProgressInputStream(InputStream in, String phase, long total, Progress progress) {
        super(in);
        this.phase = phase;
        this.total = total;
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            progress.update(phase, ++done, total);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            done += n;
            progress.update(phase, done, total);
        }
        return n;
    }
}
