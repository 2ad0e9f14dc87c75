package io.tidemark.core.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.tidemark.core.snapshot.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * HEAD.json: the current snapshot, the hash of its manifest and the lease token that moved it, and
 * a checksum over those, so a hand edit (say, of the token, which every later build is fenced by)
 * reads as a corrupt HEAD instead of wedging builds. HEADs written before the checksum have none.
 */
@JsonPropertyOrder({"snapshot", "manifestSha256", "leaseToken", "updatedAt", "checksum"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Head(String snapshot, String manifestSha256, long leaseToken, Instant updatedAt, String checksum) {
    /** A HEAD without a checksum (as older versions wrote it); {@link #sealed} is what Tidemark writes. */
    public Head(String snapshot, String manifestSha256, long leaseToken, Instant updatedAt) {
        this(snapshot, manifestSha256, leaseToken, updatedAt, null);
    }

    /** A HEAD carrying the checksum of its fields. */
    public static Head sealed(String snapshot, String manifestSha256, long leaseToken, Instant updatedAt) {
        return new Head(snapshot, manifestSha256, leaseToken, updatedAt,
                sum(snapshot, manifestSha256, leaseToken, updatedAt));
    }

    /** True when there is no checksum, or it matches the fields. */
    @JsonIgnore
    public boolean intact() {
        return checksum == null || checksum.equals(sum(snapshot, manifestSha256, leaseToken, updatedAt));
    }

    private static String sum(String snapshot, String manifestSha256, long leaseToken, Instant updatedAt) {
        return Hashing.sha256((snapshot + "\n" + manifestSha256 + "\n" + leaseToken + "\n" + updatedAt)
                .getBytes(StandardCharsets.UTF_8));
    }
}
