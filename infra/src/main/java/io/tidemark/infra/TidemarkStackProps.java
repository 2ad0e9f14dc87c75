package io.tidemark.infra;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * What one Tidemark stack holds: its clusters (at least one, names unique: they name alarms,
 * functions and the dashboard) and, optionally, the account and region it deploys to (needed to look
 * a VPC up by id).
 */
public record TidemarkStackProps(String account, String region, String description, List<ClusterProps> clusters) {

    public static Builder builder() {
        return new Builder();
    }

    StackProps stackProps() {
        StackProps.Builder b = StackProps.builder().description(description);
        if (account != null || region != null) {
            b.env(Environment.builder().account(account).region(region).build());
        }
        return b.build();
    }

    public static final class Builder {
        private String account;
        private String region;
        private String description = "Tidemark: snapshots of SQLite clusters replicated over NATS JetStream";
        private List<ClusterProps> clusters = List.of();

        private Builder() {}

        public Builder account(String v) {
            if (v != null && !v.matches("\\d{12}")) {
                throw new IllegalArgumentException("account must be 12 digits, got '" + v + "'");
            }
            account = v;
            return this;
        }

        public Builder region(String v) {
            if (v != null && !v.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                throw new IllegalArgumentException("region must look like us-east-1, got '" + v + "'");
            }
            region = v;
            return this;
        }

        public Builder description(String v) { description = v; return this; }

        public Builder clusters(List<ClusterProps> v) { clusters = List.copyOf(v); return this; }

        public TidemarkStackProps build() {
            if (clusters.isEmpty()) {
                throw new IllegalArgumentException("no clusters to deploy");
            }
            Set<String> names = new HashSet<>();
            for (ClusterProps c : clusters) {
                if (!names.add(c.name())) {
                    throw new IllegalArgumentException("cluster " + c.name() + " is listed twice");
                }
                if (c.network() != null && c.network().needsLookup() && (account == null || region == null)) {
                    throw new IllegalArgumentException("cluster " + c.name() + ": looking up " + c.network().vpcId()
                            + " needs the stack's account and region (or give availabilityZones and subnetIds)");
                }
            }
            return new TidemarkStackProps(account, region, description, clusters);
        }
    }
}
