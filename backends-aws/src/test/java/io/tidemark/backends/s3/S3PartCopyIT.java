package io.tidemark.backends.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** snapshot.db rewritten from server-side copies of the unchanged chunks of the previous copy, on S3Proxy. */
class S3PartCopyIT {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static final long CHUNK = S3PartCopy.MIN_PART;

    @TempDir
    Path dir;

    @Test
    void replaceReusing_sendsOnlyTheChangedChunks_andTheObjectEqualsTheNewFile() throws Exception {
        S3SnapshotStore store = new S3SnapshotStore(s3.client(), S3StoreConfig.of(s3.newBucket(), "c"));
        byte[] old = random(3 * CHUNK + 1234, 1);
        put(store, old);
        byte[] next = old.clone();
        next[(int) CHUNK + 17] ^= 0x5a; // chunk 1 changes
        byte[] grown = java.util.Arrays.copyOf(next, next.length + 4096); // the last chunk grows
        Path file = Files.write(dir.resolve("new.db"), grown);
        BitSet reuse = new BitSet();
        reuse.set(0);
        reuse.set(2);

        long sent = store.replaceReusing("snapshot.db", file, CHUNK, reuse, store.stat("snapshot.db").orElseThrow());

        assertThat(sent).isEqualTo(CHUNK + (1234 + 4096));
        try (InputStream in = store.open("snapshot.db")) {
            assertThat(in.readAllBytes()).isEqualTo(grown);
        }
    }

    @Test
    void replaceReusing_refusesWhenTheObjectIsNotTheOneCompared_andLeavesItAsItWas() throws Exception {
        S3SnapshotStore store = new S3SnapshotStore(s3.client(), S3StoreConfig.of(s3.newBucket(), "c"));
        byte[] old = random(2 * CHUNK, 2);
        put(store, old);
        SnapshotStore.ObjectStat stat = store.stat("snapshot.db").orElseThrow();
        Path file = Files.write(dir.resolve("new.db"), random(2 * CHUNK, 3));
        BitSet reuse = new BitSet();
        reuse.set(0);

        assertThatThrownBy(() -> store.replaceReusing("snapshot.db", file, CHUNK, reuse,
                new SnapshotStore.ObjectStat(stat.bytes() + 1, stat.lastModified())))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("snapshot.db");
        try (InputStream in = store.open("snapshot.db")) {
            assertThat(in.readAllBytes()).isEqualTo(old);
        }
        assertThatThrownBy(() -> store.replaceReusing("absent.db", file, CHUNK, reuse, stat))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("no longer exists");
    }

    private static void put(S3SnapshotStore store, byte[] bytes) {
        store.replace("snapshot.db", new java.io.ByteArrayInputStream(bytes), bytes.length);
    }

    private static byte[] random(long n, long seed) {
        byte[] b = new byte[(int) n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
