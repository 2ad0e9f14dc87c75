package io.tidemark.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole database compressed as independent frames is still one ordinary zstd stream. */
class FramedZstdTest {
    private static final int FRAME = 128 << 10;

    @TempDir
    Path dir;

    private byte[] data(int bytes) {
        byte[] b = new byte[bytes];
        Random r = new Random(42);
        for (int i = 0; i < bytes; i += 512) {
            byte[] text = ("row " + i + " some text that repeats ").repeat(20).getBytes();
            System.arraycopy(text, 0, b, i, Math.min(256, bytes - i));
            byte[] noise = new byte[Math.min(256, Math.max(0, bytes - i - 256))];
            r.nextBytes(noise);
            if (noise.length > 0) {
                System.arraycopy(noise, 0, b, i + 256, noise.length);
            }
        }
        return b;
    }

    @Test
    void compress_writesFramesOfTheFixedSize_eachDeclaringItsContentSize() throws Exception {
        byte[] raw = data(5 * FRAME + 4096);
        byte[] zst = compress(raw);

        int frames = 0;
        long content = 0;
        for (int at = 0; at < zst.length; frames++) {
            long size = Zstd.getFrameContentSize(java.util.Arrays.copyOfRange(zst, at, zst.length));
            assertThat(size).isEqualTo(frames < 5 ? FRAME : 4096);
            content += size;
            at += (int) Zstd.findFrameCompressedSize(zst, at);
        }
        assertThat(frames).isEqualTo(6);
        assertThat(content).isEqualTo(raw.length);
    }

    @Test
    void compress_isOneStream_forZstdJnisStreamingReader_andTheZstdTool() throws Exception {
        byte[] raw = data(3 * FRAME + 100);
        Path zst = dir.resolve("db.zst");
        SnapshotWriter.Compressed c = new SnapshotWriter(1, 2, FRAME).compress(write(raw), zst);

        try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(Files.readAllBytes(zst)))) {
            assertThat(in.readAllBytes()).isEqualTo(raw);
        }
        Process p = new ProcessBuilder("zstd", "-d", "-q", "-c", zst.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo(raw);
        assertThat(c.rawBytes()).isEqualTo(raw.length);
        assertThat(c.rawSha256()).isEqualTo(Hashing.sha256(raw));
        assertThat(c.sha256()).isEqualTo(Hashing.sha256(zst));
        assertThat(c.bytes()).isEqualTo(Files.size(zst));
    }

    @Test
    void compress_ofAnEmptyFile_isOneEmptyFrame_notAZeroByteObject() throws Exception {
        byte[] zst = compress(new byte[0]);
        assertThat(zst).isNotEmpty();
        try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(zst))) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    private byte[] compress(byte[] raw) throws Exception {
        Path zst = dir.resolve("out.zst");
        new SnapshotWriter(1, 2, FRAME).compress(write(raw), zst);
        return Files.readAllBytes(zst);
    }

    private Path write(byte[] raw) throws Exception {
        Path p = dir.resolve("raw-" + System.nanoTime());
        Files.write(p, raw);
        return p;
    }
}
