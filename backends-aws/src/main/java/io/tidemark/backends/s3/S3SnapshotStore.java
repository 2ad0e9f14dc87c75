package io.tidemark.backends.s3;

import io.tidemark.core.store.ComposableStore;
import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Snapshots in S3. Immutable puts carry {@code If-None-Match: *}; HEAD moves by {@code If-Match} on
 * its ETag. Bodies larger than one part go up as a multipart upload, read from the caller's stream
 * one part at a time (memory is bounded by the part size, not the object size) and completed with
 * {@code If-None-Match: *} too; downloads stream. Optional server-side encryption on every write.
 * The plain {@code snapshot.db} can be rewritten from chunks of the previous copy ({@link ComposableStore}).
 */
public final class S3SnapshotStore implements SnapshotStore, ComposableStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3SnapshotStore.class);
    /** S3's limit on the parts of one upload. */
    static final int MAX_PARTS = 10_000;
    private static final int CONFLICT_ATTEMPTS = 4;

    private final S3Client s3;
    private final S3StoreConfig config;

    public S3SnapshotStore(S3Client s3, S3StoreConfig config) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void putIfAbsent(String key, InputStream body, long length) {
        put(key, body, length, true);
    }

    /** A plain PUT (or multipart upload) replaces an S3 object atomically: readers see old or new. */
    @Override
    public void replace(String key, InputStream body, long length) {
        put(key, body, length, false);
    }

    @Override
    public long minChunkBytes() {
        return S3PartCopy.MIN_PART;
    }

    /** A multipart upload whose reused chunks are UploadPartCopy of the current object ({@link S3PartCopy}). */
    @Override
    public long replaceReusing(String key, Path file, long chunkBytes, BitSet reuse, ObjectStat expected) {
        return new S3PartCopy(s3, config).replace(key, file, chunkBytes, reuse, expected);
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        LOG.debug("HeadObject {} in {}", key, describe());
        try {
            var head = s3.headObject(b -> b.bucket(config.bucket()).key(config.key(key)));
            return Optional.of(new ObjectStat(head.contentLength(), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("head " + key, e);
        } catch (SdkException e) {
            throw failure("head " + key, e);
        }
    }

    private void put(String key, InputStream body, long length, boolean ifAbsent) {
        String k = config.key(key);
        try {
            if (length == UNKNOWN_LENGTH) {
                byte[] first = body.readNBytes((int) config.partSize());
                if (first.length < config.partSize()) { // the whole body fits one part
                    putSmall(key, k, new ByteArrayInputStream(first), first.length, ifAbsent);
                } else {
                    multipart(key, k, new SequenceInputStream(new ByteArrayInputStream(first), body), length, ifAbsent);
                }
            } else if (length <= config.partSize()) {
                putSmall(key, k, body, length, ifAbsent);
            } else {
                multipart(key, k, body, length, ifAbsent);
            }
        } catch (SdkException e) {
            throw failure("put " + key, e);
        } catch (IOException e) {
            throw new StoreException("cannot read the body of " + key + " for " + describe() + ": " + e.getMessage(), e);
        }
    }

    private void putSmall(String key, String k, InputStream body, long length, boolean ifAbsent) throws IOException {
        byte[] bytes = body.readNBytes((int) length);
        requireLength(key, length, bytes.length);
        if (body.read() >= 0) {
            throw new StoreException("object " + key + ": the body is longer than " + length + " bytes");
        }
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(config.bucket()).key(k);
        PutObjectRequest put = encrypt(ifAbsent ? b.ifNoneMatch("*") : b);
        LOG.debug("PutObject {} ({} bytes{}) in {}", key, length, ifAbsent ? ", If-None-Match" : "", describe());
        try {
            retryingConflicts(() -> s3.putObject(put, body(bytes)));
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
            if (sameContent(key, k, bytes)) {
                LOG.debug("{} in {} already holds our bytes: an SDK retry of our own put", key, describe());
                return;
            }
            throw new ObjectExistsException(key);
        }
    }

    private void multipart(String key, String k, InputStream body, long length, boolean ifAbsent) throws IOException {
        long partCount = length == UNKNOWN_LENGTH ? -1 : (length + config.partSize() - 1) / config.partSize();
        if (partCount > MAX_PARTS) {
            throw new StoreException("object " + key + " (" + length + " bytes) needs " + partCount + " parts of "
                    + config.partSize() + " bytes, more than S3's " + MAX_PARTS + ": raise the part size");
        }
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(config.bucket()).key(k);
        if (config.sse() != null) {
            create.serverSideEncryption(ServerSideEncryption.fromValue(config.sse())).ssekmsKeyId(config.kmsKeyId());
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        LOG.debug("CreateMultipartUpload {} ({} bytes, {} parts) in {}: upload {}", key, length, partCount, describe(),
                uploadId);
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long sent = 0;
            for (int n = 1; length == UNKNOWN_LENGTH || sent < length; n++) {
                // The only buffer: one part, dropped before the next is read.
                byte[] part = body.readNBytes((int) (length == UNKNOWN_LENGTH ? config.partSize()
                        : Math.min(config.partSize(), length - sent)));
                if (part.length == 0) {
                    if (length == UNKNOWN_LENGTH) {
                        break;
                    }
                    requireLength(key, length, sent);
                }
                if (n > MAX_PARTS) {
                    throw new StoreException("object " + key + " is longer than S3's " + MAX_PARTS + " parts of "
                            + config.partSize() + " bytes: raise the part size");
                }
                int number = n;
                String etag = s3.uploadPart(b -> b.bucket(config.bucket()).key(k).uploadId(uploadId).partNumber(number)
                        .contentLength((long) part.length), body(part)).eTag();
                LOG.debug("UploadPart {} #{} ({} bytes) of upload {}", key, n, part.length, uploadId);
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                sent += part.length;
            }
            complete(key, k, uploadId, parts, ifAbsent);
        } catch (IOException | RuntimeException e) {
            abort(key, k, uploadId, e);
            throw e;
        }
    }

    private void complete(String key, String k, String uploadId, List<CompletedPart> parts, boolean ifAbsent) {
        LOG.debug("CompleteMultipartUpload {} (upload {}, {} parts{}) in {}", key, uploadId, parts.size(),
                ifAbsent ? ", If-None-Match" : "", describe());
        try {
            retryingConflicts(() -> s3.completeMultipartUpload(b -> b.bucket(config.bucket()).key(k).uploadId(uploadId)
                    .ifNoneMatch(ifAbsent ? "*" : null)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())));
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
            if (uploadCompleted(k, uploadId)) {
                LOG.debug("upload {} of {} already completed: an SDK retry of our own completion", uploadId, key);
                return;
            }
            throw new ObjectExistsException(key);
        }
    }

    /**
     * True when our upload no longer exists. Only we know its id, so after a 412 on completion that
     * means our first attempt completed it and the 412 answered the SDK's retry.
     */
    private boolean uploadCompleted(String k, String uploadId) {
        try {
            s3.listParts(b -> b.bucket(config.bucket()).key(k).uploadId(uploadId).maxParts(1));
            return false;
        } catch (NoSuchUploadException e) {
            return true;
        } catch (SdkException e) {
            return false; // unknown: the 412 stands
        }
    }

    private void abort(String key, String k, String uploadId, Exception cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(k).uploadId(uploadId));
            LOG.debug("AbortMultipartUpload {} (upload {}) in {}", key, uploadId, describe());
        } catch (SdkException abort) {
            cause.addSuppressed(abort); // the bucket's lifecycle rule removes it later
        }
    }

    /** The part's own array, not a copy: one part in memory, not two. */
    private static RequestBody body(byte[] bytes) {
        return RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(bytes), bytes.length,
                "application/octet-stream");
    }

    /**
     * S3 answers 409 (ConditionalRequestConflict) when a conditional write overlaps another one on the
     * same key; its advice is to retry, and the retry then meets the condition's real answer.
     */
    private static <T> T retryingConflicts(Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (S3Exception e) {
                if (e.statusCode() != 409 || attempt >= CONFLICT_ATTEMPTS) {
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
    private boolean sameContent(String key, String k, byte[] bytes) {
        try {
            LOG.debug("GetObject {} in {} to compare after a 412", key, describe());
            byte[] current = s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(k)).asByteArray();
            return Arrays.equals(current, bytes);
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
        LOG.debug("GetObject {} (streaming) in {}", key, describe());
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
        LOG.debug("GetObject {} in {}", key, describe());
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(config.bucket())
                    .key(config.key(key)).build());
            return Optional.of(new Versioned(r.asByteArray(), r.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // Only a real 404 is "absent"; a 403 (no s3:ListBucket, no access) is a failure.
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
        String k = config.key(key);
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(config.bucket()).key(k);
        if (expectedVersion == null) {
            put.ifNoneMatch("*");
        } else {
            put.ifMatch(expectedVersion);
        }
        PutObjectRequest request = encrypt(put);
        LOG.debug("PutObject {} ({} bytes, {}) in {}", key, content.length,
                expectedVersion == null ? "If-None-Match" : "If-Match " + expectedVersion, describe());
        try {
            String etag = retryingConflicts(() -> s3.putObject(request, body(content))).eTag();
            LOG.debug("moved {} in {} from {} to {}", key, describe(), expectedVersion, etag);
            return etag;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 && sameContent(key, k, content)) {
                LOG.debug("{} in {} already holds our bytes: an SDK retry of our own write", key, describe());
                return read(key).map(Versioned::version).orElseThrow(() -> new PreconditionFailedException(key,
                        "it vanished right after our write"));
            }
            if (e.statusCode() == 412 || e.statusCode() == 409 || (expectedVersion != null && e.statusCode() == 404)) {
                throw new PreconditionFailedException(key, (expectedVersion == null ? "it already exists"
                        : "its ETag is no longer " + expectedVersion) + " (HTTP " + e.statusCode() + ")");
            }
            throw failure("put " + key, e);
        } catch (SdkException e) {
            throw failure("put " + key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        LOG.debug("ListObjectsV2 {} in {}", prefix, describe());
        try {
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(config.bucket())
                    .prefix(config.key(prefix)).build()).contents()) {
                keys.add(config.relative(o.key()));
            }
        } catch (SdkException e) {
            throw failure("list " + prefix, e);
        }
        keys.sort(null); // S3 orders by UTF-8 bytes; the contract wants Java's order
        return keys;
    }

    @Override
    public void delete(String key) {
        LOG.debug("DeleteObject {} in {}", key, describe());
        try {
            s3.deleteObject(b -> b.bucket(config.bucket()).key(config.key(key)));
        } catch (NoSuchKeyException e) {
            // S3 itself answers 204 for a missing key; some emulators answer 404. Either way: gone.
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
