package io.tidemark.infra;

import java.util.List;
import java.util.Objects;

/**
 * One cluster's deployment: where its NATS is, its streams, trigger levels, schedules, function
 * sizes, alerts and the replica service's networking. Build with {@link #builder(String)}: every
 * field has the documented default and is validated.
 */
public record ClusterProps(String name, List<String> natsUrls, String natsSecretArn, String subjectPrefix, int shards,
                           boolean compress, long maxEntries, long threshold, long emergency, double headroomRatio,
                           long alertPending, long maxSnapshotAgeHours, String buildSchedule, int monitorMinutes,
                           String verifySchedule, int buildMemoryMb, int buildTimeoutMinutes, int smallMemoryMb,
                           int logRetentionDays, String alertEmail, String functionsJar, String replicaDir,
                           Network network, int replicaCpu, int replicaMemoryMb, int replicaCount) {

    /** Where the replica runs: an existing VPC's private subnets that reach NATS. */
    public record Network(String vpcId, List<String> availabilityZones, List<String> privateSubnetIds,
                          List<String> securityGroupIds) {}

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Validating builder with the defaults of DESIGN.md and the issue. */
    public static final class Builder {
        private final String name;
        private List<String> natsUrls = List.of("nats://nats.internal:4222");
        private String natsSecretArn;
        private String subjectPrefix;
        private int shards = 1;
        private boolean compress;
        private long maxEntries = 1024;
        private long threshold = 5_000;
        private long emergency = 8_000;
        private double headroomRatio = 0.5;
        private long alertPending = 7_000;
        private long maxSnapshotAgeHours = 48;
        private String buildSchedule = "cron(0 2 * * ? *)";
        private int monitorMinutes = 5;
        private String verifySchedule = "cron(0 4 * * ? *)";
        private int buildMemoryMb = 2048;
        private int buildTimeoutMinutes = 15;
        private int smallMemoryMb = 1024;
        private int logRetentionDays = 30;
        private String alertEmail;
        private String functionsJar = "../functions/target/tidemark-functions.jar";
        private String replicaDir = "../replica";
        private Network network;
        private int replicaCpu = 512;
        private int replicaMemoryMb = 1024;
        private int replicaCount = 1;

        private Builder(String name) {
            if (name == null || !name.matches("[A-Za-z0-9_-]{1,40}")) {
                throw new IllegalArgumentException("cluster name must be 1-40 letters, digits, '-' or '_', got '" + name + "'");
            }
            this.name = name;
        }

        public Builder natsUrls(List<String> v) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("cluster " + name + ": natsUrls must not be empty");
            }
            natsUrls = List.copyOf(v);
            return this;
        }

        public Builder natsSecretArn(String v) { natsSecretArn = v; return this; }
        public Builder subjectPrefix(String v) { subjectPrefix = v; return this; }
        public Builder shards(int v) { shards = positive("shards", v); return this; }
        public Builder compress(boolean v) { compress = v; return this; }
        public Builder maxEntries(long v) { maxEntries = positive("maxEntries", v); return this; }
        public Builder threshold(long v) { threshold = positive("threshold", v); return this; }
        public Builder emergency(long v) { emergency = positive("emergency", v); return this; }
        public Builder headroomRatio(double v) { headroomRatio = v; return this; }
        public Builder alertPending(long v) { alertPending = positive("alertPending", v); return this; }
        public Builder maxSnapshotAgeHours(long v) { maxSnapshotAgeHours = positive("maxSnapshotAgeHours", v); return this; }
        public Builder buildSchedule(String v) { buildSchedule = Objects.requireNonNull(v); return this; }
        public Builder monitorMinutes(int v) { monitorMinutes = positive("monitorMinutes", v); return this; }
        public Builder verifySchedule(String v) { verifySchedule = Objects.requireNonNull(v); return this; }
        public Builder buildMemoryMb(int v) { buildMemoryMb = positive("buildMemoryMb", v); return this; }
        public Builder buildTimeoutMinutes(int v) { buildTimeoutMinutes = positive("buildTimeoutMinutes", v); return this; }
        public Builder smallMemoryMb(int v) { smallMemoryMb = positive("smallMemoryMb", v); return this; }
        public Builder logRetentionDays(int v) { logRetentionDays = positive("logRetentionDays", v); return this; }
        public Builder alertEmail(String v) { alertEmail = v; return this; }
        public Builder functionsJar(String v) { functionsJar = Objects.requireNonNull(v); return this; }
        public Builder replicaDir(String v) { replicaDir = Objects.requireNonNull(v); return this; }
        public Builder network(Network v) { network = v; return this; }
        public Builder replicaCpu(int v) { replicaCpu = positive("replicaCpu", v); return this; }
        public Builder replicaMemoryMb(int v) { replicaMemoryMb = positive("replicaMemoryMb", v); return this; }
        public Builder replicaCount(int v) { replicaCount = v; return this; }

        private <N extends Number> N positive(String field, N v) {
            if (v.doubleValue() <= 0) {
                throw new IllegalArgumentException("cluster " + name + ": " + field + " must be positive, got " + v);
            }
            return v;
        }

        public ClusterProps build() {
            if (emergency < threshold) {
                throw new IllegalArgumentException("cluster " + name + ": emergency (" + emergency
                        + ") must be at least threshold (" + threshold + ")");
            }
            if (!(headroomRatio > 0 && headroomRatio <= 1)) {
                throw new IllegalArgumentException("cluster " + name + ": headroomRatio must be in (0, 1]");
            }
            if (buildTimeoutMinutes > 15) {
                throw new IllegalArgumentException("cluster " + name + ": Lambda allows at most 15 minutes");
            }
            return new ClusterProps(name, natsUrls, natsSecretArn, subjectPrefix == null ? name + "-change" : subjectPrefix,
                    shards, compress, maxEntries, threshold, emergency, headroomRatio, alertPending, maxSnapshotAgeHours,
                    buildSchedule, monitorMinutes, verifySchedule, buildMemoryMb, buildTimeoutMinutes, smallMemoryMb,
                    logRetentionDays, alertEmail, functionsJar, replicaDir, network, replicaCpu, replicaMemoryMb,
                    replicaCount);
        }
    }
}
