package io.tidemark.cli.bench;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.store.SnapshotStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Full layers as Tidemark wrote them before issue 8: one streaming zstd frame (level 1, zstd's own
 * two workers), so the bench can set the old format beside the new in the same run.
 */
final class OneFrame {
    private OneFrame() {}

    /** Writes {@code raw} as one frame; hashes both sides, as the writer did. */
    static void compress(Path raw, Path zst) throws IOException {
        MessageDigest rawDigest = Hashing.sha256();
        MessageDigest zstDigest = Hashing.sha256();
        try (InputStream in = Files.newInputStream(raw);
             OutputStream hashed = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(zst), 1 << 20),
                     zstDigest);
             ZstdOutputStream z = new ZstdOutputStream(hashed, 1)) {
            z.setWorkers(2);
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                rawDigest.update(buf, 0, n);
                z.write(buf, 0, n);
            }
        }
    }

    /** {@code m}'s chain with its full layer rewritten as one frame under a snapshot id of its own. */
    static Manifest sameChain(SnapshotStore store, Manifest m) throws IOException {
        Manifest.Layer full = m.chain().get(0);
        Path raw = Files.createTempFile("oneframe", ".db");
        Path zst = Files.createTempFile("oneframe", ".zst");
        try {
            try (InputStream in = new ZstdInputStream(store.open(full.key()))) {
                Files.copy(in, raw, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            compress(raw, zst);
            String id = full.snapshot().substring(0, full.snapshot().length() - 12) + "0000000000af";
            Manifest.Layer one = new Manifest.Layer(id, full.object(), Manifest.Layer.FULL, 0, Files.size(zst),
                    Hashing.sha256(zst));
            try (InputStream in = Files.newInputStream(zst)) {
                store.putIfAbsent(one.key(), in, one.bytes());
            }
            List<Manifest.Layer> layers = new ArrayList<>(m.chain());
            layers.set(0, one);
            return new Manifest(m.format(), m.id(), m.createdAt(), m.cluster(), m.positions(), m.base(), m.db(), layers,
                    m.schemaHash(), m.tables(), m.build());
        } finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(zst);
        }
    }
}
