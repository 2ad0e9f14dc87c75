package io.tidemark.backends.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import io.tidemark.fixtures.aws.S3ProxyExtension;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** The store contract on S3Proxy, plus multipart streaming and prefixes. */
class S3SnapshotStoreIT extends SnapshotStoreContract {
    @RegisterExtension
    static S3ProxyExtension s3 = new S3ProxyExtension();

    private static final long PART = S3StoreConfig.MIN_PART_SIZE;

    @Override
    protected SnapshotStore newStore() {
        return new S3SnapshotStore(s3.client(), S3StoreConfig.of(s3.newBucket(), "clusters/harmonylite"));
    }

    /** Two and a half parts: the unknown-length body goes up as a multipart upload read part by part. */
    @Override
    protected int unknownLengthBodyBytes() {
        return (int) (S3StoreConfig.DEFAULT_PART_SIZE * 5 / 2);
    }

    /** S3Proxy's conditional writes are not atomic under concurrent requests (DEPENDENCIES.md). */
    @Override
    protected boolean atomicUnderRaces() {
        return false;
    }

    /** Generates the same bytes for the same seed on demand, counting how many were taken. */
    static final class GeneratedStream extends InputStream {
        private final Random random = new Random(3);
        private final long size;
        volatile long consumed;

        GeneratedStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (consumed == size) {
                return -1;
            }
            int n = (int) Math.min(len, size - consumed);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            consumed += n;
            return n;
        }
    }

    @Test
    void largeObject_goesUpInParts_neverReadingMoreThanOnePartAhead() throws Exception {
        // Bytes taken from the caller's stream when each request leaves: before part n goes out,
        // parts 1..n-1 are sent, so consumed - (n-1)*PART is what the store holds, at most one part.
        long size = 2 * PART + 12_345;
        GeneratedStream body = new GeneratedStream(size);
        Map<Integer, Long> consumedAtPart = new ConcurrentHashMap<>();
        long[] consumedAtComplete = {-1};
        ExecutionInterceptor probe = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest part) {
                    consumedAtPart.put(part.partNumber(), body.consumed);
                } else if (context.request() instanceof CompleteMultipartUploadRequest) {
                    consumedAtComplete[0] = body.consumed;
                }
            }
        };
        try (S3Client client = s3.clientBuilder().overrideConfiguration(o -> o.addExecutionInterceptor(probe)).build()) {
            S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.builder().bucket(s3.newBucket())
                    .partSize(PART).build());
            store.putIfAbsent("snapshots/x/db.sqlite.zst", body, size);
            assertThat(consumedAtPart).containsOnlyKeys(1, 2, 3);
            consumedAtPart.forEach((n, consumed) -> assertThat(consumed - (n - 1) * PART)
                    .as("bytes held while part %d goes up", n).isBetween(1L, PART));
            assertThat(consumedAtComplete[0]).isEqualTo(size);

            GeneratedStream expected = new GeneratedStream(size);
            try (InputStream in = store.open("snapshots/x/db.sqlite.zst")) {
                byte[] a = new byte[64 * 1024];
                byte[] e = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.readNBytes(a, 0, a.length)) > 0; total += n) {
                    expected.readNBytes(e, 0, n);
                    assertThat(Arrays.equals(a, 0, n, e, 0, n)).as("bytes at offset %d", total).isTrue();
                }
                assertThat(total).isEqualTo(size);
            }
            assertThat(store.list("snapshots/")).containsExactly("snapshots/x/db.sqlite.zst");
        }
    }

    @Test
    void largeObject_overAnExistingKey_isRefused_keepsTheOriginal_andLeavesNoUpload() throws Exception {
        String bucket = s3.newBucket();
        S3SnapshotStore store = new S3SnapshotStore(s3.client(), S3StoreConfig.builder().bucket(bucket).prefix("c")
                .partSize(PART).build());
        store.putIfAbsent("snapshots/x/db.sqlite.zst", new ByteArrayInputStream(new byte[]{42}), 1);
        assertThatThrownBy(() -> store.putIfAbsent("snapshots/x/db.sqlite.zst", new GeneratedStream(PART + 1), PART + 1))
                .isInstanceOf(ObjectExistsException.class).hasMessageContaining("snapshots/x/db.sqlite.zst");
        try (InputStream in = store.open("snapshots/x/db.sqlite.zst")) {
            assertThat(in.readAllBytes()).containsExactly(42);
        }
        assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void storesUnderNeighbouringPrefixes_doNotSeeEachOther() {
        String bucket = s3.newBucket();
        S3SnapshotStore a = new S3SnapshotStore(s3.client(), S3StoreConfig.of(bucket, "a"));
        S3SnapshotStore ab = new S3SnapshotStore(s3.client(), S3StoreConfig.of(bucket, "ab"));
        S3SnapshotStore root = new S3SnapshotStore(s3.client(), S3StoreConfig.of(bucket, ""));
        a.putIfAbsent("snapshots/1/manifest.json", new ByteArrayInputStream(new byte[]{1}), 1);
        ab.putIfAbsent("snapshots/2/manifest.json", new ByteArrayInputStream(new byte[]{2}), 1);
        assertThat(a.list("")).containsExactly("snapshots/1/manifest.json");
        assertThat(ab.list("snapshots/")).containsExactly("snapshots/2/manifest.json");
        assertThat(root.list("")).containsExactly("a/snapshots/1/manifest.json", "ab/snapshots/2/manifest.json");
        assertThat(a.describe()).isEqualTo("s3://" + bucket + "/a");
        assertThat(root.describe()).isEqualTo("s3://" + bucket);
    }

    @Test
    void compareAndSet_returnsTheETagThatReadSees() {
        SnapshotStore store = newStore();
        String v1 = store.compareAndSet("HEAD.json", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(store.read("HEAD.json").orElseThrow().version()).isEqualTo(v1);
    }

    @Test
    void aMissingBucket_isAnError_notAnEmptyStore() {
        S3SnapshotStore store = new S3SnapshotStore(s3.client(), S3StoreConfig.of("no-such-bucket-here", "p"));
        assertThatThrownBy(() -> store.list("snapshots/")).isInstanceOf(StoreException.class)
                .hasMessageContaining("s3://no-such-bucket-here/p");
    }

    @Test
    void shortBody_isAnErrorNamingTheKey() {
        S3SnapshotStore store = new S3SnapshotStore(s3.client(), S3StoreConfig.of(s3.newBucket(), ""));
        assertThatThrownBy(() -> store.putIfAbsent("snapshots/y/manifest.json", InputStream.nullInputStream(), 10))
                .isInstanceOf(StoreException.class).hasMessageContaining("snapshots/y/manifest.json")
                .hasMessageContaining("expected 10 bytes");
        assertThat(store.list("snapshots/")).isEmpty();
    }

    @Test
    void config_buildsWithDefaults_andRejectsBadValues() {
        S3StoreConfig c = S3StoreConfig.builder().bucket("ok-bucket").build();
        assertThat(c.partSize()).isEqualTo(S3StoreConfig.DEFAULT_PART_SIZE);
        assertThat(c.prefix()).isEmpty();
        assertThat(c.sse()).isNull();
        assertThat(S3StoreConfig.of("ok-bucket", "/a/b/").prefix()).isEqualTo("a/b");
        for (String bad : List.of("Bad_Bucket", "x")) {
            assertThatThrownBy(() -> S3StoreConfig.of(bad, "")).hasMessageContaining("not a valid S3 bucket");
        }
        assertThatThrownBy(() -> S3StoreConfig.builder().bucket("ok-bucket").partSize(1024).build())
                .hasMessageContaining("5 MiB");
        assertThatThrownBy(() -> S3StoreConfig.builder().bucket("ok-bucket").partSize(2L << 30).build())
                .hasMessageContaining("1 GiB");
        assertThatThrownBy(() -> S3StoreConfig.builder().bucket("ok-bucket").sse("rot13").build())
                .hasMessageContaining("AES256 or aws:kms");
        assertThatThrownBy(() -> S3StoreConfig.builder().bucket("ok-bucket").sse("AES256").kmsKeyId("k").build())
                .hasMessageContaining("kmsKeyId needs sse = aws:kms");
    }
}
