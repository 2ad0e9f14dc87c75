package io.tidemark.replica;

import io.tidemark.backends.jetstream.NatsSecurity;
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
                             Duration reconnectWait, StoreSpec store,
                             LeaseSpec lease, Duration leaseTtl, RetentionPolicy retention, String healthBind,
                             boolean bootCopy, String adminBind, Path adminTokenFile,
                             NatsSecurity natsSecurity) {

    public static final Path DEFAULT_DB = Path.of("tidemark-replica.db");
    public static final String DEFAULT_NATS_URL = "nats://127.0.0.1:4222";
    public static final Path DEFAULT_STORE = Path.of("tidemark-snapshots");
    public static final String DEFAULT_HEALTH_BIND = "0.0.0.0:8080";
    /** {@code POST /snapshot} listens only on the loopback interface unless told otherwise. */
    public static final String DEFAULT_ADMIN_BIND = "127.0.0.1:8081";
    /** {@code [admin] bind = "off"} / {@code --admin off}: no admin listener at all. */
    public static final String ADMIN_OFF = "off";

    /** {@code bind} if it is host:port or {@link #ADMIN_OFF}; otherwise an error naming the setting. */
    public static String checkAdminBind(String bind) {
        if (!bind.equals(ADMIN_OFF) && !bind.matches("[^:\\s]*:\\d{1,5}")) {
            throw new IllegalArgumentException("admin.bind (--admin) must be host:port or \"off\", got '" + bind + "'");
        }
        return bind;
    }

    /** The seq-map beside the database unless set. */
    public Path seqMap() {
        return seqMapPath != null ? seqMapPath : dbPath.resolveSibling("seq-map.cbor");
    }

    /** The lease set, else the one the store implies ({@link LeaseSpec#defaultFor}). */
    public LeaseSpec leaseOrDefault() {
        return lease != null ? lease : LeaseSpec.defaultFor(store);
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
        private Duration reconnectWait = Duration.ofSeconds(2);
        private StoreSpec store = new StoreSpec.Folder(DEFAULT_STORE);
        private LeaseSpec lease;
        private Duration leaseTtl = Duration.ofSeconds(30);
        private RetentionPolicy retention = RetentionPolicy.DEFAULT;
        private String healthBind = DEFAULT_HEALTH_BIND;
        private String adminBind = DEFAULT_ADMIN_BIND;
        private Path adminTokenFile;
        private NatsSecurity natsSecurity = NatsSecurity.NONE;
        private boolean bootCopy = true;

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

        public Builder reconnectWait(Duration d) {
            this.reconnectWait = d;
            return this;
        }

        public Builder store(StoreSpec spec) {
            this.store = Objects.requireNonNull(spec);
            return this;
        }

        /** Snapshots in a folder. */
        public Builder storeDir(Path p) {
            return store(new StoreSpec.Folder(Objects.requireNonNull(p)));
        }

        /** Snapshots in this NATS object store bucket (HEAD in {@code <bucket>-head}). */
        public Builder natsBucket(String bucket) {
            return store(new StoreSpec.Nats(bucket));
        }

        /** Snapshots in S3 ({@code s3://bucket/prefix}); {@code endpoint} null for AWS itself. */
        public Builder s3(String url, String endpoint) {
            return store(StoreSpec.S3.parse(url, endpoint));
        }

        /** Null: the lease the store implies. */
        public Builder lease(LeaseSpec spec) {
            this.lease = spec;
            return this;
        }

        public Builder leaseTable(String table, String endpoint) {
            return lease(table == null ? null : new LeaseSpec.DynamoDb(table, endpoint));
        }

        public Builder leaseDir(Path p) {
            return lease(p == null ? null : new LeaseSpec.Folder(p));
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

        /** NATS TLS files and the one way to authenticate ({@link NatsSecurity}). */
        public Builder natsSecurity(NatsSecurity s) {
            this.natsSecurity = Objects.requireNonNull(s);
            return this;
        }

        public NatsSecurity natsSecurity() {
            return natsSecurity;
        }

        /** Where {@code POST /snapshot} listens ({@code [admin] bind}): host:port, or {@link #ADMIN_OFF}. */
        public Builder adminBind(String bind) {
            this.adminBind = checkAdminBind(bind);
            return this;
        }

        /** A file holding the bearer token {@code POST /snapshot} requires ({@code [admin] token_file}); null: none. */
        public Builder adminTokenFile(Path file) {
            this.adminTokenFile = file;
            return this;
        }

        /** Whether builds write the plain snapshot.db HarmonyLite nodes boot from ({@code snapshot.boot_copy}). */
        public Builder bootCopy(boolean on) {
            this.bootCopy = on;
            return this;
        }

        public ClusterConfig cluster() {
            return cluster;
        }

        public StoreSpec store() {
            return store;
        }

        public TidemarkConfig build() {
            return new TidemarkConfig(dbPath, seqMapPath, workDir, cluster, natsUrls, reconnectWait, store, lease,
                    leaseTtl, retention, healthBind, bootCopy, adminBind, adminTokenFile, natsSecurity);
        }
    }

    @Override
    public String toString() {
        return "TidemarkConfig[db=" + dbPath + ", cluster=" + cluster + ", nats=" + natsUrls + ", store="
                + store.describe() + ", natsAuth=" + natsSecurity.auth().source() + "]";
    }
}
