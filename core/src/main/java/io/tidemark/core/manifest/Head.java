package io.tidemark.core.manifest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/** HEAD.json: the current snapshot, the hash of its manifest and the lease token that moved it. */
@JsonPropertyOrder({"snapshot", "manifestSha256", "leaseToken", "updatedAt"})
public record Head(String snapshot, String manifestSha256, long leaseToken, Instant updatedAt) {}
