package io.tidemark.core.cluster;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a cluster's changes live: HarmonyLite's stream and subject prefixes, shard count,
 * compression and stream bound. Stream names and subjects derive from it exactly as HarmonyLite
 * derives them. {@code timeZone} is the local zone ({@code TZ}) of the cluster's HarmonyLite nodes:
 * a replaying node stores a replicated time as text with that zone's offset, so Tidemark does the
 * same to build byte-identical databases (default UTC; see docs/wire-format.md).
 */
public record ClusterConfig(String streamPrefix, String subjectPrefix, int shards, boolean compressed,
                            long maxEntries, ZoneId timeZone) {
    /** HarmonyLite's own defaults ({@code cfg/config.go}), so a node's config that omits them matches. */
    public static final String DEFAULT_STREAM_PREFIX = "harmonylite-changes";
    public static final String DEFAULT_SUBJECT_PREFIX = "harmonylite-change-log";
    public static final boolean DEFAULT_COMPRESSED = true;
    public static final int DEFAULT_SHARDS = 1;
    public static final long DEFAULT_MAX_ENTRIES = 1024;

    public ClusterConfig(String streamPrefix, String subjectPrefix, int shards, boolean compressed, long maxEntries) {
        this(streamPrefix, subjectPrefix, shards, compressed, maxEntries, ZoneOffset.UTC);
    }

    public ClusterConfig {
        Objects.requireNonNull(timeZone, "timeZone");
        requireName(streamPrefix, "stream_prefix");
        requireName(subjectPrefix, "subject_prefix");
        if (shards < 1 || shards > 1024) {
            throw new IllegalArgumentException("shards must be between 1 and 1024, got " + shards);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max_entries must be positive, got " + maxEntries);
        }
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(DEFAULT_STREAM_PREFIX, DEFAULT_SUBJECT_PREFIX, DEFAULT_SHARDS, DEFAULT_COMPRESSED,
                DEFAULT_MAX_ENTRIES);
    }

    /** The stream of a shard (numbered from 1): {@code <prefix>-<shard>} or {@code <prefix>-c-<shard>}. */
    public String streamName(int shard) {
        return streamPrefix + (compressed ? "-c-" : "-") + shard;
    }

    public String subject(int shard) {
        return subjectPrefix + "-" + shard;
    }

    public List<String> streamNames() {
        List<String> names = new ArrayList<>(shards);
        for (int i = 1; i <= shards; i++) {
            names.add(streamName(i));
        }
        return names;
    }

    /** The cluster's name in manifests and lease keys. */
    public String cluster() {
        return streamPrefix;
    }

    public ClusterConfig withShards(int n) {
        return new ClusterConfig(streamPrefix, subjectPrefix, n, compressed, maxEntries, timeZone);
    }

    public ClusterConfig withCompressed(boolean c) {
        return new ClusterConfig(streamPrefix, subjectPrefix, shards, c, maxEntries, timeZone);
    }

    public ClusterConfig withMaxEntries(long m) {
        return new ClusterConfig(streamPrefix, subjectPrefix, shards, compressed, m, timeZone);
    }

    public ClusterConfig withPrefixes(String stream, String subject) {
        return new ClusterConfig(stream, subject, shards, compressed, maxEntries, timeZone);
    }

    public ClusterConfig withTimeZone(ZoneId zone) {
        return new ClusterConfig(streamPrefix, subjectPrefix, shards, compressed, maxEntries, zone);
    }

    private static void requireName(String s, String key) {
        Objects.requireNonNull(s, key);
        if (!s.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(key + " must be letters, digits, '-' or '_', got '" + s + "'");
        }
    }
}
