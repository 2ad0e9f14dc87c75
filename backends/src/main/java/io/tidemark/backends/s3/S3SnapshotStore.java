package io.tidemark.backends.s3;

import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Snapshots in S3. Immutable puts carry {@code If-None-Match: *}; HEAD moves by {@code If-Match} on
 * its ETag. Bodies larger than one part go up as a multipart upload, one part in memory at a time;
 * downloads stream. Optional server-side encryption on every write.
 */
public final class S3SnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3SnapshotStore.class);

    private final S3Client s3;
    private final S3StoreConfig config;

    public S3SnapshotStore(S3Client s3, S3StoreConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    @Override
    public void putIfAbsent(String key, InputStream body, long length) {
        String k = config.key(key);
        byte[] written = null;
        try {
            if (length <= config.partSize()) {
                byte[] bytes = body.readNBytes((int) length);
                written = bytes;
                requireLength(key, length, bytes.length);
                PutObjectRequest put = encrypt(PutObjectRequest.builder().bucket(config.bucket()).key(k).ifNoneMatch("*"));
                retryingConflicts(() -> s3.putObject(put, RequestBody.fromBytes(bytes)));
            } else {
                multipart(key, k, body, length);
            }
            LOG.debug("put {} ({} bytes) in {}", key, length, describe());
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                if (length <= config.partSize() && sameContent(k, written)) {
                    return; // an SDK retry of our own successful put: the object is ours
                }
                throw new ObjectExistsException(key);
            }
            throw failure("put " + key, e);
        } catch (SdkException e) {
            throw failure("put " + key, e);
        } catch (IOException e) {
            throw new StoreException("cannot read the body of " + key + ": " + e.getMessage(), e);
        }
    }

    private void multipart(String key, String k, InputStream body, long length) throws IOException {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(config.bucket()).key(k);
        if (config.sse() != null) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(config.sse())).ssekmsKeyId(config.kmsKeyId());
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long sent = 0;
            for (int n = 1; sent < length; n++) {
                byte[] part = body.readNBytes((int) Math.min(config.partSize(), length - sent));
                if (part.length == 0) {
                    requireLength(key, length, sent);
                }
                String etag = s3.uploadPart(UploadPartRequest.builder().bucket(config.bucket()).key(k).uploadId(uploadId)
                        .partNumber(n).contentLength((long) part.length).build(), RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                sent += part.length;
            }
            CompleteMultipartUploadRequest complete = CompleteMultipartUploadRequest.builder().bucket(config.bucket())
                    .key(k).uploadId(uploadId).ifNoneMatch("*")
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build();
            retryingConflicts(() -> s3.completeMultipartUpload(complete));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(config.bucket()).key(k)
                        .uploadId(uploadId).build());
            } catch (SdkException abort) {
                e.addSuppressed(abort); // the bucket's lifecycle rule removes it later
            }
            throw e;
        }
    }

    /**
     * S3 answers 409 (ConditionalRequestConflict) when a conditional write overlaps another one on the
     * same key; its advice is to retry, and the retry then meets the condition's real answer.
     */
    private static <T> T retryingConflicts(java.util.function.Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (S3Exception e) {
                if (e.statusCode() != 409 || attempt >= 4) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** True when the object under {@code k} holds exactly {@code bytes}. */
    private boolean sameContent(String k, byte[] bytes) {
        if (bytes == null) {
            return false;
        }
        try {
            byte[] current = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(config.bucket()).key(k).build())
                    .asByteArray();
            return java.util.Arrays.equals(current, bytes);
        } catch (SdkException e) {
            return false;
        }
    }

    private static void requireLength(String key, long expected, long got) {
        if (expected != got) {
            throw new StoreException("object " + key + ": expected " + expected + " bytes, got " + got);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(config.bucket()).key(config.key(key)).build());
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ObjectNotFoundException(key);
            }
            throw failure("get " + key, e);
        } catch (SdkException e) {
            throw failure("get " + key, e);
        }
    }

    @Override
    public Optional<Versioned> read(String key) {
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(config.bucket())
                    .key(config.key(key)).build());
            return Optional.of(new Versioned(r.asByteArray(), r.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("get " + key, e);
        } catch (SdkException e) {
            throw failure("get " + key, e);
        }
    }

    @Override
    public String compareAndSet(String key, byte[] content, String expectedVersion) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(config.bucket()).key(config.key(key));
        if (expectedVersion == null) {
            put.ifNoneMatch("*");
        } else {
            put.ifMatch(expectedVersion);
        }
        try {
            PutObjectRequest request = encrypt(put);
            String etag = retryingConflicts(() -> s3.putObject(request, RequestBody.fromBytes(content))).eTag();
            LOG.debug("moved {} in {} (was {})", key, describe(), expectedVersion);
            return etag;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 && sameContent(config.key(key), content)) {
                return read(key).map(Versioned::version).orElseThrow(); // an SDK retry of our own write
            }
            if (e.statusCode() == 412 || (expectedVersion != null && e.statusCode() == 404)) {
                throw new PreconditionFailedException(key, expectedVersion == null ? "it already exists"
                        : "its ETag is no longer " + expectedVersion);
            }
            throw failure("put " + key, e);
        } catch (SdkException e) {
            throw failure("put " + key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(config.bucket())
                    .prefix(config.key(prefix)).build()).contents()) {
                keys.add(config.relative(o.key()));
            }
        } catch (SdkException e) {
            throw failure("list " + prefix, e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(config.bucket()).key(config.key(key)).build());
        } catch (SdkException e) {
            throw failure("delete " + key, e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + config.bucket() + (config.prefix().isEmpty() ? "" : "/" + config.prefix());
    }

    private PutObjectRequest encrypt(PutObjectRequest.Builder b) {
        if (config.sse() != null) {
            b.serverSideEncryption(ServerSideEncryption.fromValue(config.sse())).ssekmsKeyId(config.kmsKeyId());
        }
        return b.build();
    }

    private StoreException failure(String what, SdkException e) {
        String code = e instanceof S3Exception s ? " (HTTP " + s.statusCode() + ", "
                + (s.awsErrorDetails() == null ? "?" : s.awsErrorDetails().errorCode()) + ")" : "";
        return new StoreException("cannot " + what + " in " + describe() + code + ": " + e.getMessage(), e);
    }
}
