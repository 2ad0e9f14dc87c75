package io.tidemark.infra;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One cluster's deployment: where its NATS is, its streams, trigger levels, schedules, function sizes,
 * alerts and the replica service. Build with {@link #builder(String)}: every field has the default
 * named below (DESIGN.md's where they overlap) and is checked as it is set.
 *
 * @param name   the stream prefix (HarmonyLite {@code stream_prefix}); also names the alarms, the
 *               dashboard and the lease
 * @param prefix key prefix of the snapshots in the bucket
 * @param network null: no VPC; the functions run outside one and there is no replica service
 */
public record ClusterProps(String name, List<String> natsUrls, String natsSecretArn, String subjectPrefix, int shards,
                           boolean compress, long maxEntries, String prefix, String eventBus, long threshold,
                           long emergency, double headroomRatio, long alertPending, int maxSnapshotAgeHours,
                           String buildSchedule, int monitorRateMinutes, String verifySchedule,
                           Map<FunctionKind, FunctionSize> functions, int logRetentionDays, String alertEmail,
                           String functionsJar, String replicaDir, Network network, ReplicaProps replica) {

    public static final List<String> DEFAULT_NATS_URLS = List.of("nats://nats.internal:4222");
    /** HarmonyLite's defaults: its subject prefix and compressed streams. */
    public static final String DEFAULT_SUBJECT_PREFIX = "harmonylite-change-log";
    public static final boolean DEFAULT_COMPRESS = true;
    public static final int DEFAULT_SHARDS = 1;
    public static final long DEFAULT_MAX_ENTRIES = 1024;
    public static final String DEFAULT_EVENT_BUS = "default";
    public static final long DEFAULT_THRESHOLD = 5_000;
    public static final long DEFAULT_EMERGENCY = 8_000;
    public static final double DEFAULT_HEADROOM_RATIO = 0.5;
    public static final long DEFAULT_ALERT_PENDING = 7_000;
    public static final int DEFAULT_MAX_SNAPSHOT_AGE_HOURS = 48;
    public static final String DEFAULT_BUILD_SCHEDULE = "cron(0 2 * * ? *)";
    public static final int DEFAULT_MONITOR_RATE_MINUTES = 5;
    public static final String DEFAULT_VERIFY_SCHEDULE = "cron(0 4 * * ? *)";
    public static final int DEFAULT_LOG_RETENTION_DAYS = 30;
    /** Relative to infra/, where cdk runs. */
    public static final String DEFAULT_FUNCTIONS_JAR = "../functions/target/tidemark-functions.jar";
    public static final String DEFAULT_REPLICA_DIR = "../replica";

    /** The four functions; each has its own {@link FunctionSize}. */
    public enum FunctionKind {
        BUILD(FunctionSize.BUILD), MONITOR(FunctionSize.MONITOR), VERIFY(FunctionSize.VERIFY),
        TRIGGER(FunctionSize.TRIGGER);

        final FunctionSize defaultSize;

        FunctionKind(FunctionSize defaultSize) {
            this.defaultSize = defaultSize;
        }
    }

    /**
     * The least memory for Build and Verify. Measured (`tidemark bench --only memory --function-mb N`,
     * 1M changes on 918 MB): 190.7 MB peak RSS and 9.8 s at 512 MB; at 256 MB the same RSS, leaving
     * Lambda's runtime 66 MB, and 12.5 s, as the 64 MB heap squeezes the young generation.
     */
    static final int MIN_BUILDER_MEMORY_MB = 512;

    public FunctionSize size(FunctionKind f) {
        return functions.get(f);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private List<String> natsUrls = DEFAULT_NATS_URLS;
        private String natsSecretArn;
        private String subjectPrefix;
        private int shards = DEFAULT_SHARDS;
        private boolean compress = DEFAULT_COMPRESS;
        private long maxEntries = DEFAULT_MAX_ENTRIES;
        private String prefix;
        private String eventBus = DEFAULT_EVENT_BUS;
        private long threshold = DEFAULT_THRESHOLD;
        private long emergency = DEFAULT_EMERGENCY;
        private double headroomRatio = DEFAULT_HEADROOM_RATIO;
        private long alertPending = DEFAULT_ALERT_PENDING;
        private int maxSnapshotAgeHours = DEFAULT_MAX_SNAPSHOT_AGE_HOURS;
        private String buildSchedule = DEFAULT_BUILD_SCHEDULE;
        private int monitorRateMinutes = DEFAULT_MONITOR_RATE_MINUTES;
        private String verifySchedule = DEFAULT_VERIFY_SCHEDULE;
        private final Map<FunctionKind, FunctionSize> functions = new HashMap<>();
        private int logRetentionDays = DEFAULT_LOG_RETENTION_DAYS;
        private String alertEmail;
        private String functionsJar = DEFAULT_FUNCTIONS_JAR;
        private String replicaDir = DEFAULT_REPLICA_DIR;
        private Network network;
        private ReplicaProps replica = ReplicaProps.DEFAULT;

        private Builder(String name) {
            // Stream names allow letters, digits, '-' and '_'; 40 leaves room in alarm and resource names.
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,39}")) {
                throw new IllegalArgumentException("cluster name must be 1-40 letters, digits, '-' or '_', got '" + name + "'");
            }
            this.name = name;
        }

        public Builder natsUrls(List<String> v) {
            if (v == null || v.isEmpty()) {
                throw fail("natsUrls must not be empty");
            }
            for (String u : v) {
                // The form the functions accept (FunctionConfig): a comma would split one url in two.
                if (u == null || !u.matches("(nats|tls)://[^\\s/,]+(:\\d+)?/?")) {
                    throw fail("natsUrls: '" + u + "' is not a url like nats://host:4222");
                }
            }
            natsUrls = List.copyOf(v);
            return this;
        }

        public Builder natsSecretArn(String v) {
            // A complete ARN (with the 6-character suffix): IAM and ECS secrets both need it.
            if (v != null && !v.matches("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+-[A-Za-z0-9]{6}")) {
                throw fail("natsSecretArn must be a complete secret ARN (ending in -XXXXXX), got '" + v + "'");
            }
            natsSecretArn = v;
            return this;
        }

        public Builder subjectPrefix(String v) { subjectPrefix = token("subjectPrefix", v); return this; }
        public Builder shards(int v) { shards = (int) positive("shards", v); return this; }
        public Builder compress(boolean v) { compress = v; return this; }
        public Builder maxEntries(long v) { maxEntries = positive("maxEntries", v); return this; }

        public Builder prefix(String v) {
            if (v == null || !v.matches("[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*")) {
                throw fail("prefix must be a key prefix without leading or trailing '/', got '" + v + "'");
            }
            prefix = v;
            return this;
        }

        public Builder eventBus(String v) { eventBus = token("eventBus", v); return this; }
        public Builder threshold(long v) { threshold = positive("threshold", v); return this; }
        public Builder emergency(long v) { emergency = positive("emergency", v); return this; }

        public Builder headroomRatio(double v) {
            if (!(v > 0 && v <= 1)) {
                throw fail("headroomRatio must be in (0, 1], got " + v);
            }
            headroomRatio = v;
            return this;
        }

        public Builder alertPending(long v) { alertPending = positive("alertPending", v); return this; }
        public Builder maxSnapshotAgeHours(int v) { maxSnapshotAgeHours = (int) positive("maxSnapshotAgeHours", v); return this; }
        public Builder buildSchedule(String v) { buildSchedule = schedule("buildSchedule", v); return this; }
        public Builder verifySchedule(String v) { verifySchedule = schedule("verifySchedule", v); return this; }

        public Builder monitorRateMinutes(int v) {
            // Alarms evaluate up to three of these periods; CloudWatch caps that at a day, an hour keeps it useful.
            if (v < 1 || v > 60) {
                throw fail("monitorRateMinutes must be 1-60, got " + v);
            }
            monitorRateMinutes = v;
            return this;
        }

        public Builder function(FunctionKind f, FunctionSize size) {
            functions.put(Objects.requireNonNull(f), Objects.requireNonNull(size));
            return this;
        }

        public Builder logRetentionDays(int v) {
            SnapshotFunction.retention(v); // throws naming the allowed values
            logRetentionDays = v;
            return this;
        }

        public Builder alertEmail(String v) {
            if (v != null && !v.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw fail("alertEmail is not an e-mail address: '" + v + "'");
            }
            alertEmail = v;
            return this;
        }

        public Builder functionsJar(String v) { functionsJar = Objects.requireNonNull(v, "functionsJar"); return this; }
        public Builder replicaDir(String v) { replicaDir = Objects.requireNonNull(v, "replicaDir"); return this; }
        public Builder network(Network v) { network = v; return this; }
        public Builder replica(ReplicaProps v) { replica = Objects.requireNonNull(v, "replica"); return this; }

        public ClusterProps build() {
            if (emergency < threshold) {
                throw fail("emergency (" + emergency + ") must be at least threshold (" + threshold + ")");
            }
            Map<FunctionKind, FunctionSize> sizes = new java.util.EnumMap<>(FunctionKind.class);
            for (FunctionKind f : FunctionKind.values()) {
                sizes.put(f, functions.getOrDefault(f, f.defaultSize));
                if ((f == FunctionKind.BUILD || f == FunctionKind.VERIFY) && sizes.get(f).memoryMb() < MIN_BUILDER_MEMORY_MB) {
                    throw fail("functions." + f.name().toLowerCase(java.util.Locale.ROOT) + ".memoryMb is "
                            + sizes.get(f).memoryMb() + ", below the " + MIN_BUILDER_MEMORY_MB + " MB a builder needs: its"
                            + " JVM keeps a 64 MB young generation in a heap of a quarter of the function's memory, and a"
                            + " build peaks at about 190 MB resident");
                }
            }
            return new ClusterProps(name, natsUrls, natsSecretArn, subjectPrefix == null ? DEFAULT_SUBJECT_PREFIX : subjectPrefix,
                    shards, compress, maxEntries, prefix == null ? name : prefix, eventBus, threshold, emergency,
                    headroomRatio, alertPending, maxSnapshotAgeHours, buildSchedule, monitorRateMinutes, verifySchedule,
                    Map.copyOf(sizes), logRetentionDays, alertEmail, functionsJar, replicaDir, network, replica);
        }

        private long positive(String field, long v) {
            if (v <= 0) {
                throw fail(field + " must be positive, got " + v);
            }
            return v;
        }

        private String token(String field, String v) {
            if (v == null || !v.matches("[A-Za-z0-9._-]{1,256}")) {
                throw fail(field + " must be letters, digits, '.', '-' or '_', got '" + v + "'");
            }
            return v;
        }

        private String schedule(String field, String v) {
            // EventBridge's two forms; the fields themselves are checked by EventBridge at deploy.
            if (v == null || !v.matches("cron\\(\\S+( \\S+){5}\\)|rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)")) {
                throw fail(field + " must be cron(m h dom mon dow y) or rate(N unit), got '" + v + "'");
            }
            return v;
        }

        private IllegalArgumentException fail(String message) {
            return new IllegalArgumentException("cluster " + name + ": " + message);
        }
    }
}
