package io.tidemark.core.build;

import io.tidemark.core.snapshot.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The sha256 of each fixed-size chunk of a file: what {@link BootCopy} records of the copy it
 * wrote, so that the next copy sends only the chunks that differ ({@link
 * io.tidemark.core.store.ComposableStore}).
 */
public record ChunkHashes(long chunkBytes, long fileBytes, List<String> sha256) {
    /** 8 MiB: above S3's 5 MiB part minimum, and few enough chunks (128 per GiB) to record. */
    public static final long DEFAULT_CHUNK = 8L << 20;

    public static ChunkHashes of(Path file, long chunkBytes) {
        List<String> hashes = new ArrayList<>();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            long total = 0;
            while (true) {
                MessageDigest d = Hashing.sha256();
                long inChunk = 0;
                int n;
                while (inChunk < chunkBytes && (n = in.read(buffer, 0, (int) Math.min(buffer.length, chunkBytes - inChunk))) > 0) {
                    d.update(buffer, 0, n);
                    inChunk += n;
                }
                if (inChunk == 0) {
                    return new ChunkHashes(chunkBytes, total, List.copyOf(hashes));
                }
                hashes.add(Hashing.hex(d));
                total += inChunk;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to hash its chunks", e);
        }
    }

    /**
     * The chunks of {@code this} (the new file) that {@code old} holds byte for byte at the same
     * offset: same index, same length, same hash.
     */
    public BitSet sameAs(ChunkHashes old) {
        BitSet same = new BitSet();
        if (old.chunkBytes() != chunkBytes) {
            return same;
        }
        for (int i = 0; i < Math.min(sha256.size(), old.sha256().size()); i++) {
            if (length(i) == old.length(i) && sha256.get(i).equals(old.sha256().get(i))) {
                same.set(i);
            }
        }
        return same;
    }

    public long length(int chunk) {
        return Math.min(chunkBytes, fileBytes - chunk * chunkBytes);
    }
}
