package io.tidemark.backends.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.StoreException;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint.Request;
import io.tidemark.fixtures.aws.RecordingHttpEndpoint.Response;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What goes over the wire and how S3's answers map, against a recording endpoint that answers what
 * S3Proxy cannot be made to: conflicts, a lost completion, refusals.
 */
class S3SnapshotStoreWireTest {
    @RegisterExtension
    static RecordingHttpEndpoint http = new RecordingHttpEndpoint(r -> ok());

    private S3Client client;

    @BeforeEach
    void client() {
        http.clear();
        http.respondWith(r -> ok());
        client = S3Client.builder().endpointOverride(http.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    private static Response ok() {
        return new Response(200, "application/xml", "", Map.of("ETag", "\"e1\""));
    }

    private static Response error(int status, String code) {
        return new Response(status, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>" + code + "</Message></Error>");
    }

    /** Answers a multipart upload: create, parts, then {@code complete} and {@code listParts} as given. */
    private static Function<Request, Response> multipart(Response complete, Response listParts) {
        return r -> {
            if (r.method().equals("POST") && r.path().contains("?uploads")) {
                return new Response(200, "application/xml", "<InitiateMultipartUploadResult><Bucket>bucket</Bucket>"
                        + "<Key>k</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>");
            }
            if (r.method().equals("PUT") && r.path().contains("partNumber=")) {
                return ok();
            }
            if (r.method().equals("POST") && r.path().contains("uploadId=")) {
                return complete;
            }
            if (r.method().equals("GET") && r.path().contains("uploadId=")) {
                return listParts;
            }
            return ok(); // abort
        };
    }

    private static InputStream zeros(long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 0);
                left -= k;
                return k;
            }
        };
    }

    private List<Request> requests(String method) {
        return http.requests().stream().filter(r -> r.method().equals(method)).toList();
    }

    @Test
    void writesCarryIfNoneMatchOrIfMatch_andServerSideEncryption() {
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.builder().bucket("bucket").prefix("p")
                .sse("aws:kms").kmsKeyId("key-123").build());
        store.putIfAbsent("snapshots/a/manifest.json", new ByteArrayInputStream(new byte[]{1, 2}), 2);
        store.compareAndSet("HEAD.json", new byte[]{3}, "\"etag-1\"");
        Request put = http.requests().get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).startsWith("/bucket/p/snapshots/a/manifest.json");
        assertThat(put.header("If-None-Match")).isEqualTo("*");
        assertThat(put.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThat(put.header("x-amz-server-side-encryption-aws-kms-key-id")).isEqualTo("key-123");
        Request cas = http.requests().get(1);
        assertThat(cas.path()).startsWith("/bucket/p/HEAD.json");
        assertThat(cas.header("If-Match")).isEqualTo("\"etag-1\"");
        assertThat(cas.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
    }

    @Test
    void multipart_encryptsOnCreate_andCompletesWithIfNoneMatch() {
        http.respondWith(multipart(new Response(200, "application/xml", "<CompleteMultipartUploadResult>"
                + "<ETag>\"m-2\"</ETag></CompleteMultipartUploadResult>"), ok()));
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.builder().bucket("bucket").sse("AES256")
                .partSize(S3StoreConfig.MIN_PART_SIZE).build());
        store.putIfAbsent("snapshots/a/db.sqlite.zst", zeros(S3StoreConfig.MIN_PART_SIZE + 1), S3StoreConfig.MIN_PART_SIZE + 1);
        List<Request> posts = requests("POST");
        assertThat(posts.get(0).path()).contains("?uploads");
        assertThat(posts.get(0).header("x-amz-server-side-encryption")).isEqualTo("AES256");
        assertThat(requests("PUT")).hasSize(2);
        assertThat(posts.get(1).path()).contains("uploadId=up-1");
        assertThat(posts.get(1).header("If-None-Match")).isEqualTo("*");
        assertThat(requests("DELETE")).isEmpty();
    }

    @Test
    void multipart_412WhileOurUploadStillExists_isObjectExists_andTheUploadIsAborted() {
        http.respondWith(multipart(error(412, "PreconditionFailed"), new Response(200, "application/xml",
                "<ListPartsResult><UploadId>up-1</UploadId></ListPartsResult>")));
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.builder().bucket("bucket")
                .partSize(S3StoreConfig.MIN_PART_SIZE).build());
        assertThatThrownBy(() -> store.putIfAbsent("snapshots/a/db.sqlite.zst", zeros(S3StoreConfig.MIN_PART_SIZE + 1),
                S3StoreConfig.MIN_PART_SIZE + 1)).isInstanceOf(ObjectExistsException.class)
                .hasMessageContaining("snapshots/a/db.sqlite.zst");
        assertThat(requests("DELETE")).singleElement().satisfies(abort -> assertThat(abort.path()).contains("uploadId=up-1"));
    }

    @Test
    void multipart_412AfterOurUploadCompleted_isSuccess() {
        // The SDK retried a completion whose answer was lost: the upload is gone because it is done.
        http.respondWith(multipart(error(412, "PreconditionFailed"), error(404, "NoSuchUpload")));
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.builder().bucket("bucket")
                .partSize(S3StoreConfig.MIN_PART_SIZE).build());
        store.putIfAbsent("snapshots/a/db.sqlite.zst", zeros(S3StoreConfig.MIN_PART_SIZE + 1), S3StoreConfig.MIN_PART_SIZE + 1);
        assertThat(requests("DELETE")).isEmpty();
    }

    @Test
    void multipart_aShortBody_abortsTheUpload() {
        http.respondWith(multipart(ok(), ok()));
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.builder().bucket("bucket")
                .partSize(S3StoreConfig.MIN_PART_SIZE).build());
        assertThatThrownBy(() -> store.putIfAbsent("snapshots/a/db.sqlite.zst", zeros(S3StoreConfig.MIN_PART_SIZE + 1),
                3 * S3StoreConfig.MIN_PART_SIZE)).isInstanceOf(StoreException.class).hasMessageContaining("expected");
        assertThat(requests("DELETE")).hasSize(1);
        assertThat(requests("POST")).hasSize(1); // created, never completed
    }

    @Test
    void compareAndSet_aConflictThatPersists_isPreconditionFailed() {
        http.respondWith(r -> error(409, "ConditionalRequestConflict"));
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.of("bucket", ""));
        assertThatThrownBy(() -> store.compareAndSet("HEAD.json", new byte[]{1}, "\"e0\""))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("HEAD.json")
                .hasMessageContaining("409");
        assertThat(requests("PUT")).hasSize(4); // retried as S3 advises, then given up
    }

    @Test
    void compareAndSet_412OnAnotherWritersBytes_isPreconditionFailed() {
        http.respondWith(r -> r.method().equals("PUT") ? error(412, "PreconditionFailed")
                : new Response(200, "application/json", "{\"other\":true}", Map.of("ETag", "\"e9\"")));
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.of("bucket", ""));
        assertThatThrownBy(() -> store.compareAndSet("HEAD.json", new byte[]{1}, "\"e0\""))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("\"e0\"");
    }

    @Test
    void putIfAbsent_aConflictThatPersists_isAStoreErrorNotObjectExists() {
        http.respondWith(r -> error(409, "ConditionalRequestConflict"));
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.of("bucket", ""));
        assertThatThrownBy(() -> store.putIfAbsent("snapshots/a/manifest.json", new ByteArrayInputStream(new byte[]{1}), 1))
                .isInstanceOf(StoreException.class).isNotInstanceOf(ObjectExistsException.class)
                .hasMessageContaining("snapshots/a/manifest.json").hasMessageContaining("409");
    }

    @Test
    void refusals_areErrors_neverEmptyResults() {
        // Without s3:ListBucket, S3 answers a missing key with 403: that must not read as "no HEAD yet".
        http.respondWith(r -> error(403, "AccessDenied"));
        S3SnapshotStore store = new S3SnapshotStore(client, S3StoreConfig.of("bucket", "p"));
        assertThatThrownBy(() -> store.read("HEAD.json")).isInstanceOf(StoreException.class)
                .hasMessageContaining("HEAD.json").hasMessageContaining("s3://bucket/p").hasMessageContaining("403");
        assertThatThrownBy(() -> store.list("snapshots/")).isInstanceOf(StoreException.class)
                .hasMessageContaining("AccessDenied");
        assertThatThrownBy(() -> store.open("snapshots/a/db.sqlite.zst")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.delete("snapshots/a/db.sqlite.zst")).isInstanceOf(StoreException.class);
    }
}
