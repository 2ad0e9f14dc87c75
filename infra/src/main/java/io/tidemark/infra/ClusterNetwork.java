package io.tidemark.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Subnet;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.constructs.Construct;

/** {@link Network} resolved once per cluster: the VPC, the subnets and the security groups. */
final class ClusterNetwork extends Construct {
    final IVpc vpc;
    final SubnetSelection subnets;
    final List<ISecurityGroup> securityGroups = new ArrayList<>();

    ClusterNetwork(Construct scope, String id, String cluster, Network n) {
        super(scope, id);
        if (n.vpc() != null) {
            vpc = n.vpc();
        } else if (!n.availabilityZones().isEmpty()) {
            vpc = Vpc.fromVpcAttributes(this, "Vpc", VpcAttributes.builder().vpcId(n.vpcId())
                    .availabilityZones(n.availabilityZones()).privateSubnetIds(n.subnetIds()).build());
        } else {
            vpc = Vpc.fromLookup(this, "Vpc", VpcLookupOptions.builder().vpcId(n.vpcId()).build());
        }
        if (!n.subnetIds().isEmpty()) {
            List<ISubnet> list = new ArrayList<>();
            for (String s : n.subnetIds()) {
                list.add(Subnet.fromSubnetId(this, s, s));
            }
            subnets = SubnetSelection.builder().subnets(list).build();
        } else {
            subnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
        }
        if (n.securityGroupIds().isEmpty()) {
            securityGroups.add(SecurityGroup.Builder.create(this, "Egress").vpc(vpc).allowAllOutbound(true)
                    .description("Tidemark " + cluster + ": functions and replica; allow it in on NATS (4222)")
                    .build());
        } else {
            for (String sg : n.securityGroupIds()) {
                securityGroups.add(SecurityGroup.fromSecurityGroupId(this, sg, sg));
            }
        }
    }
}
