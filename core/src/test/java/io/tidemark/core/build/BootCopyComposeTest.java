package io.tidemark.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.ManifestCodec;
import io.tidemark.core.store.ComposableStore;
import io.tidemark.core.store.MemoryStore;
import io.tidemark.core.store.PreconditionFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snapshot.db on a store that composes: only the chunks that changed since Tidemark's last copy are sent. */
class BootCopyComposeTest {
    private static final ClusterConfig CLUSTER = ClusterConfig.defaults();
    private static final String STREAM = CLUSTER.streamName(1);
    private static final long CHUNK = ChunkHashes.DEFAULT_CHUNK;

    @TempDir
    Path dir;

    /** Composes by copying the reused ranges from its own current bytes, as S3's UploadPartCopy does. */
    static final class ComposingStore extends MemoryStore implements ComposableStore {
        boolean refuse;
        BitSet lastReuse;

        public long minChunkBytes() {
            return 1;
        }

        public long replaceReusing(String key, Path file, long chunkBytes, BitSet reuse, ObjectStat expected) {
            if (refuse || !stat(key).orElseThrow().equals(expected)) {
                throw new PreconditionFailedException(key, "not the object compared");
            }
            try {
                byte[] next = Files.readAllBytes(file);
                byte[] old = objects.get(key);
                long sent = 0;
                for (int i = 0; (long) i * chunkBytes < next.length; i++) {
                    int from = (int) (i * chunkBytes);
                    int len = (int) Math.min(chunkBytes, next.length - from);
                    if (reuse.get(i)) {
                        System.arraycopy(old, from, next, from, len); // the server's copy, not the file's bytes
                    } else {
                        sent += len;
                    }
                }
                lastReuse = reuse;
                objects.put(key, next);
                times.put(key, now = now.plusSeconds(1));
                return sent;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private final ComposingStore store = new ComposingStore();

    @Test
    void aRewrite_sendsOnlyTheChunksThatChanged_andTheCopyEqualsTheDatabase() throws Exception {
        byte[] db = random(2 * CHUNK + 4096, 1);
        assertThat(publish("20260101T000000Z-000000000001", 100, db).bytesSent()).isEqualTo(db.length);
        db[(int) CHUNK + 100] ^= 1; // the middle chunk changes
        BootCopy.Result r = publish("20260102T000000Z-000000000002", 900, db);

        assertThat(r.outcome()).isEqualTo(BootCopy.Outcome.PUBLISHED);
        assertThat(r.bytesSent()).isEqualTo(CHUNK);
        assertThat(r.message()).contains("2 of 3 chunks copied");
        assertThat(store.objects.get("snapshot.db")).isEqualTo(db);
    }

    @Test
    void whenTheStoreRefusesToCompose_theWholeFileIsSent_andSaysWhy() throws Exception {
        byte[] db = random(CHUNK + 10, 2);
        publish("20260101T000000Z-000000000001", 100, db);
        db[3] ^= 1;
        store.refuse = true;
        BootCopy.Result r = publish("20260102T000000Z-000000000002", 900, db);

        assertThat(r.bytesSent()).isEqualTo(db.length);
        assertThat(r.message()).contains("sent whole").contains("not the object compared");
        assertThat(store.objects.get("snapshot.db")).isEqualTo(db);
    }

    @Test
    void aCopyWhoseRecordHasNoChunks_isSentWhole() throws Exception {
        byte[] db = random(CHUNK + 10, 3);
        publish("20260101T000000Z-000000000001", 100, db);
        BootCopy.Written w = ManifestCodec.json().readValue(store.objects.get(BootCopy.RECORD), BootCopy.Written.class);
        byte[] older = ManifestCodec.write(new BootCopy.Written(w.snapshot(), w.positions(), w.bytes(), w.lastModified(),
                null)); // as a Tidemark before chunk records wrote it
        store.objects.put(BootCopy.RECORD, older);
        assertThat(publish("20260102T000000Z-000000000002", 900, db).bytesSent()).isEqualTo(db.length);
        assertThat(store.lastReuse).isNull();
    }

    private BootCopy.Result publish(String id, long position, byte[] db) throws IOException {
        store.objects.put("HEAD.json", ManifestCodec.write(new Head(id, "ff", 7, Instant.EPOCH)));
        Path raw = Files.write(dir.resolve(id + ".db"), db);
        try (LeaseKeeper k = BootCopyTest.keeper()) {
            return BootCopy.publish(store, BootCopyTest.streamFrom(1, 1000), CLUSTER, id, Map.of(STREAM, position), raw, Instant.now(), k, false);
        }
    }

    private static byte[] random(long n, long seed) {
        byte[] b = new byte[(int) n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
