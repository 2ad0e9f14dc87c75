package io.tidemark.backends.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class S3SnapshotStoreIT extends SnapshotStoreContract {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    @Override
    protected SnapshotStore newStore() {
        return new S3SnapshotStore(s3.client(), S3StoreConfig.of(s3.newBucket(), "clusters/harmonylite"));
    }

    /** S3Proxy's conditional writes are not atomic under concurrent requests (DEPENDENCIES.md). */
    @Override
    protected boolean atomicUnderRaces() {
        return false;
    }

    /** Generates bytes on demand and remembers the most any one read asked for. */
    static final class GeneratedStream extends InputStream {
        final Random random = new Random(3);
        long left;
        int largestRead;

        GeneratedStream(long size) {
            left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            left -= n;
            largestRead = Math.max(largestRead, len);
            return n;
        }
    }

    @Test
    void largeObject_goesUpInParts_readingAtMostOnePartAtATime() throws Exception {
        long part = S3StoreConfig.MIN_PART_SIZE;
        S3SnapshotStore store = new S3SnapshotStore(s3.client(), S3StoreConfig.of(s3.newBucket(), "").withPartSize(part));
        long size = 2 * part + 12_345;
        GeneratedStream body = new GeneratedStream(size);
        store.putIfAbsent("snapshots/x/db.sqlite.zst", body, size);
        assertThat(body.largestRead).isLessThanOrEqualTo((int) part);
        GeneratedStream expected = new GeneratedStream(size);
        try (InputStream in = store.open("snapshots/x/db.sqlite.zst")) {
            byte[] a = new byte[64 * 1024];
            byte[] e = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.readNBytes(a, 0, a.length)) > 0; total += n) {
                expected.readNBytes(e, 0, n);
                assertThat(java.util.Arrays.equals(a, 0, n, e, 0, n)).as("bytes at offset " + total).isTrue();
            }
            assertThat(total).isEqualTo(size);
        }
        assertThat(store.list("snapshots/")).containsExactly("snapshots/x/db.sqlite.zst");
    }

    @Test
    void shortBody_isAnErrorNamingTheKey() {
        S3SnapshotStore store = new S3SnapshotStore(s3.client(), S3StoreConfig.of(s3.newBucket(), ""));
        assertThatThrownBy(() -> store.putIfAbsent("snapshots/y/manifest.json", InputStream.nullInputStream(), 10))
                .isInstanceOf(StoreException.class).hasMessageContaining("snapshots/y/manifest.json")
                .hasMessageContaining("expected 10 bytes");
    }

    @Test
    void config_rejectsBadValues() {
        assertThatThrownBy(() -> S3StoreConfig.of("Bad_Bucket", "")).hasMessageContaining("not a valid S3 bucket");
        assertThatThrownBy(() -> S3StoreConfig.of("ok-bucket", "").withPartSize(1024)).hasMessageContaining("5 MiB");
        assertThatThrownBy(() -> S3StoreConfig.of("ok-bucket", "").withEncryption("rot13", null))
                .hasMessageContaining("AES256 or aws:kms");
        assertThat(S3StoreConfig.of("ok-bucket", "/a/b/").prefix()).isEqualTo("a/b");
    }
}
