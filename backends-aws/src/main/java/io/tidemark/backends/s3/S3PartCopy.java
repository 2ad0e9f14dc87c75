package io.tidemark.backends.s3;

import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore.ObjectStat;
import io.tidemark.core.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One multipart upload whose parts are either copied on the server from the object already under
 * the key (UploadPartCopy, pinned to that object's ETag with {@code x-amz-copy-source-if-match}) or
 * sent from a local file. Completion replaces the object atomically, as a plain PUT does.
 */
final class S3PartCopy {
    private static final Logger LOG = LoggerFactory.getLogger(S3PartCopy.class);
    /** S3's smallest part but the last. */
    static final long MIN_PART = 5L << 20;

    private final S3Client s3;
    private final S3StoreConfig config;

    S3PartCopy(S3Client s3, S3StoreConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    long replace(String key, Path file, long chunk, BitSet reuse, ObjectStat expected) {
        if (chunk < MIN_PART) {
            throw new IllegalArgumentException("chunks of " + chunk + " bytes are below S3's part minimum of " + MIN_PART);
        }
        String k = config.key(key);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long count = (size + chunk - 1) / chunk;
            if (count > S3SnapshotStore.MAX_PARTS) {
                throw new StoreException("snapshot " + key + " needs " + count + " parts, more than S3's "
                        + S3SnapshotStore.MAX_PARTS);
            }
            String etag = source(key, k, expected);
            String uploadId = s3.createMultipartUpload(create(k)).uploadId();
            LOG.debug("CreateMultipartUpload {} ({} bytes, {} parts, {} copied) in s3://{}: upload {}", key, size, count,
                    reuse.cardinality(), config.bucket(), uploadId);
            try {
                List<CompletedPart> parts = new ArrayList<>();
                long sent = 0;
                for (int i = 0; i < count; i++) {
                    long from = i * chunk;
                    long length = Math.min(chunk, size - from);
                    int number = i + 1;
                    String partEtag;
                    if (reuse.get(i) && from + length <= expected.bytes()) {
                        partEtag = s3.uploadPartCopy(b -> b.sourceBucket(config.bucket()).sourceKey(k)
                                .copySourceIfMatch(etag).copySourceRange("bytes=" + from + "-" + (from + length - 1))
                                .destinationBucket(config.bucket()).destinationKey(k).uploadId(uploadId)
                                .partNumber(number)).copyPartResult().eTag();
                    } else {
                        ByteBuffer part = ByteBuffer.allocate((int) length);
                        while (part.hasRemaining() && in.read(part, from + part.position()) > 0) {
                            // read the whole chunk
                        }
                        part.flip();
                        partEtag = s3.uploadPart(b -> b.bucket(config.bucket()).key(k).uploadId(uploadId)
                                .partNumber(number).contentLength(length), RequestBody.fromByteBuffer(part)).eTag();
                        sent += length;
                    }
                    parts.add(CompletedPart.builder().partNumber(number).eTag(partEtag).build());
                }
                s3.completeMultipartUpload(b -> b.bucket(config.bucket()).key(k).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
                return sent;
            } catch (RuntimeException e) {
                abort(k, uploadId, e);
                if (e instanceof S3Exception s && s.statusCode() == 412) {
                    throw new PreconditionFailedException(key, "it changed while its parts were copied (HTTP 412)");
                }
                throw e;
            }
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + " for " + key + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new StoreException("cannot compose " + key + " in s3://" + config.bucket() + ": " + e.getMessage(), e);
        }
    }

    /** The ETag of the object under {@code k}, when it is still {@code expected}. */
    private String source(String key, String k, ObjectStat expected) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(config.bucket()).key(k));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new PreconditionFailedException(key, "it no longer exists");
            }
            throw e;
        }
        if (head.contentLength() != expected.bytes() || !head.lastModified().equals(expected.lastModified())) {
            throw new PreconditionFailedException(key, "it is " + head.contentLength() + " bytes of "
                    + head.lastModified() + ", not the " + expected.bytes() + " bytes of " + expected.lastModified()
                    + " its chunks were compared with");
        }
        return head.eTag();
    }

    private CreateMultipartUploadRequest create(String k) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(config.bucket()).key(k);
        if (config.sse() != null) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(config.sse())).ssekmsKeyId(config.kmsKeyId());
        }
        return create.build();
    }

    private void abort(String k, String uploadId, Exception cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(k).uploadId(uploadId));
        } catch (SdkException abort) {
            cause.addSuppressed(abort); // the bucket's lifecycle rule removes it later
        }
    }
}
