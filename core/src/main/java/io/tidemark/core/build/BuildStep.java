package io.tidemark.core.build;

/** The steps of a build, in order (DESIGN.md, "Building a snapshot"). */
public enum BuildStep {
    LEASE_TAKEN, HEAD_READ, BASE_FETCHED, REPLAYED, WRITTEN, DATABASE_UPLOADED, MANIFEST_UPLOADED, HEAD_MOVED,
    BOOT_COPY_WRITTEN, RETENTION_APPLIED
}
