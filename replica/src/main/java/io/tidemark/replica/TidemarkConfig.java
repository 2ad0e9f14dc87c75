package io.tidemark.replica;

import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.retention.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the CLI and the replica need, from a TOML file with HarmonyLite's keys where they
 * overlap ({@link ConfigFile}), then command-line flags. Immutable; built through {@link Builder},
 * which validates.
 */
public record TidemarkConfig(Path dbPath, Path seqMapPath, Path workDir, ClusterConfig cluster, List<String> natsUrls,
                             String natsUser, String natsPassword, Duration reconnectWait, Path storeDir,
                             Path leaseDir, String natsBucket, S3Location s3, LeaseTable leaseTable,
                             Duration leaseTtl, RetentionPolicy retention, String healthBind) {

    /** A DynamoDB lease table, optionally on another endpoint (emulators). */
    public record LeaseTable(String name, String endpoint) {}

    /** Snapshots in S3: {@code s3://bucket/prefix}, optionally on another endpoint (emulators). */
    public record S3Location(String bucket, String prefix, String endpoint) {
        static S3Location parse(String url, String endpoint) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("s3://([^/]+)/?(.*)").matcher(url);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + url + "' is not an S3 location like s3://bucket/prefix");
            }
            return new S3Location(m.group(1), m.group(2), endpoint);
        }
    }
    public static final Path DEFAULT_DB = Path.of("tidemark-replica.db");
    public static final String DEFAULT_NATS_URL = "nats://127.0.0.1:4222";
    public static final Path DEFAULT_STORE = Path.of("tidemark-snapshots");
    public static final String DEFAULT_HEALTH_BIND = "0.0.0.0:8080";

    /** The seq-map beside the database unless set. */
    public Path seqMap() {
        return seqMapPath != null ? seqMapPath : dbPath.resolveSibling("seq-map.cbor");
    }

    /** True when snapshots live in a NATS object store (and leases in NATS KV), not a folder. */
    public boolean natsStore() {
        return natsBucket != null;
    }

    /** The lease folder: {@code lease_dir}, else a hidden folder inside the store. */
    public Path leases() {
        return leaseDir != null ? leaseDir : storeDir.resolve(".leases");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Validating builder; later calls override earlier ones (file first, then flags). */
    public static final class Builder {
        private Path dbPath = DEFAULT_DB;
        private Path seqMapPath;
        private Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "tidemark");
        private ClusterConfig cluster = ClusterConfig.defaults();
        private List<String> natsUrls = List.of(DEFAULT_NATS_URL);
        private String natsUser;
        private String natsPassword;
        private Duration reconnectWait = Duration.ofSeconds(2);
        private Path storeDir = DEFAULT_STORE;
        private Path leaseDir;
        private String natsBucket;
        private S3Location s3;
        private LeaseTable leaseTable;
        private Duration leaseTtl = Duration.ofSeconds(30);
        private RetentionPolicy retention = RetentionPolicy.DEFAULT;
        private String healthBind = DEFAULT_HEALTH_BIND;

        public Builder dbPath(Path p) {
            this.dbPath = Objects.requireNonNull(p);
            return this;
        }

        public Builder seqMapPath(Path p) {
            this.seqMapPath = p;
            return this;
        }

        public Builder workDir(Path p) {
            this.workDir = Objects.requireNonNull(p);
            return this;
        }

        public Builder cluster(ClusterConfig c) {
            this.cluster = Objects.requireNonNull(c);
            return this;
        }

        public Builder natsUrls(List<String> urls) {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("nats.urls must name at least one server");
            }
            for (String u : urls) {
                if (!u.matches("(nats|tls|ws|wss)://[^\\s/]+(:\\d+)?/?")) {
                    throw new IllegalArgumentException("nats.urls: '" + u + "' is not a NATS url like nats://host:4222");
                }
            }
            this.natsUrls = List.copyOf(urls);
            return this;
        }

        public Builder natsCredentials(String user, String password) {
            this.natsUser = user;
            this.natsPassword = password;
            return this;
        }

        public Builder reconnectWait(Duration d) {
            this.reconnectWait = d;
            return this;
        }

        public Builder storeDir(Path p) {
            this.storeDir = Objects.requireNonNull(p);
            return this;
        }

        /** Snapshots in this NATS object store bucket (HEAD in {@code <bucket>-head}, leases in {@code <bucket>-lease}). */
        public Builder natsBucket(String bucket) {
            if (bucket != null && !bucket.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("snapshot.nats.bucket must be letters, digits, '-' or '_', got '"
                        + bucket + "'");
            }
            this.natsBucket = bucket;
            return this;
        }

        /** Snapshots in S3 ({@code s3://bucket/prefix}); {@code endpoint} null for AWS itself. */
        public Builder s3(String url, String endpoint) {
            this.s3 = url == null ? null : S3Location.parse(url, endpoint);
            if (s3 != null) {
                this.natsBucket = null;
            }
            return this;
        }

        /** The DynamoDB lease table (with an S3 store). */
        public Builder leaseTable(String table, String endpoint) {
            this.leaseTable = table == null ? null : new LeaseTable(table, endpoint);
            return this;
        }

        public Builder leaseDir(Path p) {
            this.leaseDir = p;
            return this;
        }

        public Builder leaseTtl(Duration d) {
            if (d.toMillis() < 1000) {
                throw new IllegalArgumentException("snapshot.leader_ttl must be at least 1000 ms, got " + d.toMillis());
            }
            this.leaseTtl = d;
            return this;
        }

        public Builder retention(RetentionPolicy r) {
            this.retention = Objects.requireNonNull(r);
            return this;
        }

        public Builder healthBind(String bind) {
            if (!bind.matches("[^:\\s]*:\\d{1,5}")) {
                throw new IllegalArgumentException("health_check.bind must be host:port, got '" + bind + "'");
            }
            this.healthBind = bind;
            return this;
        }

        public ClusterConfig cluster() {
            return cluster;
        }

        public TidemarkConfig build() {
            return new TidemarkConfig(dbPath, seqMapPath, workDir, cluster, natsUrls, natsUser, natsPassword,
                    reconnectWait, storeDir, leaseDir, natsBucket, s3, leaseTable, leaseTtl, retention, healthBind);
        }
    }

    @Override
    public String toString() {
        return "TidemarkConfig[db=" + dbPath + ", cluster=" + cluster + ", nats=" + natsUrls + ", store=" + (s3 != null ? "s3://" + s3.bucket() + "/" + s3.prefix() : natsBucket != null ? "nats:" + natsBucket
                : storeDir)
                + (natsUser != null ? ", natsUser=" + natsUser + ", natsPassword=***" : "") + "]";
    }
}
