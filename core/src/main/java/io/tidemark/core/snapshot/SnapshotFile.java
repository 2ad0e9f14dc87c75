package io.tidemark.core.snapshot;

import java.nio.file.Path;
import java.util.Map;

/** A written snapshot on local disk: the clean SQLite file, its compressed form, hashes and counts. */
public record SnapshotFile(Path raw, long rawBytes, String rawSha256, Path compressed, long bytes, String sha256,
                           Map<String, Long> tables, String schemaHash) {}
