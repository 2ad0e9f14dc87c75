package io.tidemark.backends.s3;

import java.util.Objects;

/**
 * Where and how snapshots go in S3. {@code prefix} ends without a slash ("" for the bucket root);
 * {@code sse} is null, "AES256" or "aws:kms" (then {@code kmsKeyId} may name the key).
 */
public record S3StoreConfig(String bucket, String prefix, long partSize, String sse, String kmsKeyId) {
    public static final long DEFAULT_PART_SIZE = 16L << 20;
    public static final long MIN_PART_SIZE = 5L << 20;

    public S3StoreConfig {
        Objects.requireNonNull(bucket, "bucket");
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' is not a valid S3 bucket name");
        }
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + partSize);
        }
        if (sse != null && !sse.equals("AES256") && !sse.equals("aws:kms")) {
            throw new IllegalArgumentException("sse must be AES256 or aws:kms, got '" + sse + "'");
        }
        if (kmsKeyId != null && !"aws:kms".equals(sse)) {
            throw new IllegalArgumentException("kmsKeyId needs sse = aws:kms");
        }
    }

    public static S3StoreConfig of(String bucket, String prefix) {
        return new S3StoreConfig(bucket, prefix, DEFAULT_PART_SIZE, null, null);
    }

    public S3StoreConfig withEncryption(String sse, String kmsKeyId) {
        return new S3StoreConfig(bucket, prefix, partSize, sse, kmsKeyId);
    }

    public S3StoreConfig withPartSize(long bytes) {
        return new S3StoreConfig(bucket, prefix, bytes, sse, kmsKeyId);
    }

    String key(String relative) {
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    String relative(String key) {
        return prefix.isEmpty() ? key : key.substring(prefix.length() + 1);
    }
}
