package io.tidemark.backends.s3;

import java.util.Objects;

/**
 * Where and how snapshots go in S3. {@code prefix} ends without a slash ("" for the bucket root);
 * {@code partSize} is both the multipart threshold and the most one upload holds in memory;
 * {@code sse} is null, "AES256" or "aws:kms" (then {@code kmsKeyId} may name the key, else the
 * account's default key is used).
 */
public record S3StoreConfig(String bucket, String prefix, long partSize, String sse, String kmsKeyId) {
    public static final long DEFAULT_PART_SIZE = 16L << 20;
    /** S3 refuses smaller parts (except the last). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** A part is held in one array while it goes up; S3's own limit (5 GiB) is far above. */
    public static final long MAX_PART_SIZE = 1L << 30;
    public static final String SSE_S3 = "AES256";
    public static final String SSE_KMS = "aws:kms";

    public S3StoreConfig {
        Objects.requireNonNull(bucket, "bucket");
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' is not a valid S3 bucket name");
        }
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + partSize);
        }
        if (partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at most 1 GiB (held in memory), got " + partSize);
        }
        if (sse != null && !sse.equals(SSE_S3) && !sse.equals(SSE_KMS)) {
            throw new IllegalArgumentException("sse must be AES256 or aws:kms, got '" + sse + "'");
        }
        if (kmsKeyId != null && !SSE_KMS.equals(sse)) {
            throw new IllegalArgumentException("kmsKeyId needs sse = aws:kms");
        }
    }

    public static S3StoreConfig of(String bucket, String prefix) {
        return builder().bucket(bucket).prefix(prefix).build();
    }

    public static Builder builder() {
        return new Builder();
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

    /** Builds a config; {@link #build()} validates. Only the bucket is required. */
    public static final class Builder {
        private String bucket;
        private String prefix = "";
        private long partSize = DEFAULT_PART_SIZE;
        private String sse;
        private String kmsKeyId;

        private Builder() {}

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** Keys go under {@code prefix/}; null or empty for the bucket root. */
        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        public Builder partSize(long bytes) {
            this.partSize = bytes;
            return this;
        }

        /** "AES256" (SSE-S3) or "aws:kms" (SSE-KMS); null for the bucket's default. */
        public Builder sse(String sse) {
            this.sse = sse;
            return this;
        }

        /** The KMS key for SSE-KMS; null for the account's default {@code aws/s3} key. */
        public Builder kmsKeyId(String kmsKeyId) {
            this.kmsKeyId = kmsKeyId;
            return this;
        }

        public S3StoreConfig build() {
            return new S3StoreConfig(bucket, prefix, partSize, sse, kmsKeyId);
        }
    }
}
