package io.tidemark.backends.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.fixtures.aws.RecordingHttpEndpoint;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What goes over the wire: the conditional and encryption headers on every write. */
class S3EncryptionHeadersTest {
    @RegisterExtension
    static RecordingHttpEndpoint http = new RecordingHttpEndpoint(r -> new RecordingHttpEndpoint.Response(200,
            "application/xml", ""));

    @Test
    void writesCarryIfNoneMatchOrIfMatch_andServerSideEncryption() {
        S3Client client = S3Client.builder().endpointOverride(http.endpoint()).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create()).build();
        S3SnapshotStore store = new S3SnapshotStore(client,
                S3StoreConfig.of("bucket", "p").withEncryption("aws:kms", "key-123"));
        store.putIfAbsent("snapshots/a/manifest.json", new ByteArrayInputStream(new byte[]{1, 2}), 2);
        store.compareAndSet("HEAD.json", new byte[]{3}, "\"etag-1\"");
        RecordingHttpEndpoint.Request put = http.requests().get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).startsWith("/bucket/p/snapshots/a/manifest.json");
        assertThat(put.header("If-None-Match")).isEqualTo("*");
        assertThat(put.header("x-amz-server-side-encryption")).isEqualTo("aws:kms");
        assertThat(put.header("x-amz-server-side-encryption-aws-kms-key-id")).isEqualTo("key-123");
        RecordingHttpEndpoint.Request cas = http.requests().get(1);
        assertThat(cas.path()).startsWith("/bucket/p/HEAD.json");
        assertThat(cas.header("If-Match")).isEqualTo("\"etag-1\"");
    }
}
