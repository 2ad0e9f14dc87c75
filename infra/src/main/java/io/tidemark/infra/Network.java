package io.tidemark.infra;

import java.util.List;
import software.amazon.awscdk.services.ec2.IVpc;

/**
 * Where a cluster's NATS is reachable from: a VPC, the subnets to run in and the security groups to
 * use. Three ways to name the VPC: an {@link IVpc} built in code ({@link Builder#vpc}); a VPC id
 * plus its availability zones and subnet ids (used as given, no AWS call at synth); or a VPC id
 * alone, looked up at synth ({@code Vpc.fromLookup}: needs the stack's account and region and AWS
 * credentials the first time, then cached in cdk.context.json).
 *
 * @param subnetIds         empty: the VPC's private subnets
 * @param securityGroupIds  empty: one new security group per cluster, all outbound allowed (let it in
 *                          on NATS's security group)
 * @param functionsInVpc    the four functions run in this network too (they read the streams)
 */
public record Network(IVpc vpc, String vpcId, List<String> availabilityZones, List<String> subnetIds,
                      List<String> securityGroupIds, boolean functionsInVpc) {

    public static Builder builder() {
        return new Builder();
    }

    /** True when the VPC must be looked up in the account at synth. */
    public boolean needsLookup() {
        return vpc == null && availabilityZones.isEmpty();
    }

    public static final class Builder {
        private IVpc vpc;
        private String vpcId;
        private List<String> availabilityZones = List.of();
        private List<String> subnetIds = List.of();
        private List<String> securityGroupIds = List.of();
        private boolean functionsInVpc = true;

        private Builder() {}

        public Builder vpc(IVpc v) { vpc = v; return this; }

        public Builder vpcId(String v) {
            vpcId = id("vpcId", "vpc-", v);
            return this;
        }

        public Builder availabilityZones(List<String> v) { availabilityZones = List.copyOf(v); return this; }

        public Builder subnetIds(List<String> v) {
            v.forEach(s -> id("subnetIds", "subnet-", s));
            subnetIds = List.copyOf(v);
            return this;
        }

        public Builder securityGroupIds(List<String> v) {
            v.forEach(s -> id("securityGroupIds", "sg-", s));
            securityGroupIds = List.copyOf(v);
            return this;
        }

        public Builder functionsInVpc(boolean v) { functionsInVpc = v; return this; }

        public Network build() {
            if ((vpc == null) == (vpcId == null)) {
                throw new IllegalArgumentException("network: give exactly one of vpc and vpcId");
            }
            if (!availabilityZones.isEmpty()) {
                if (vpc != null) {
                    throw new IllegalArgumentException("network: availabilityZones go with vpcId, not with a vpc object");
                }
                if (subnetIds.isEmpty() || subnetIds.size() % availabilityZones.size() != 0) {
                    throw new IllegalArgumentException("network: with availabilityZones, give subnetIds, as many per zone ("
                            + subnetIds.size() + " subnets for " + availabilityZones.size() + " zones)");
                }
            }
            return new Network(vpc, vpcId, availabilityZones, subnetIds, securityGroupIds, functionsInVpc);
        }

        private static String id(String field, String prefix, String v) {
            if (v == null || !v.matches(prefix + "[0-9a-f]{8,17}")) {
                throw new IllegalArgumentException("network: " + field + " must look like " + prefix + "0123abcd, got '"
                        + v + "'");
            }
            return v;
        }
    }
}
