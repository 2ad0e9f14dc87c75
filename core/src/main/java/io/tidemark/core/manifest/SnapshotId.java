package io.tidemark.core.manifest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Snapshot ids sort by time: {@code yyyyMMdd'T'HHmmss'Z'-<first 12 hex of the database's sha256>}. */
public final class SnapshotId {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{12}");

    private SnapshotId() {}

    public static String of(Instant createdAt, String rawSha256) {
        return STAMP.format(createdAt) + "-" + rawSha256.substring(0, 12);
    }

    public static boolean isValid(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }

    /** Rejects ids that are not of the shape above, so a typo cannot name an arbitrary key. */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a snapshot id (expected yyyyMMddTHHmmssZ-<12 hex>)");
        }
        return id;
    }
}
