package io.tidemark.infra;

import io.tidemark.infra.ClusterProps.FunctionKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/**
 * One cluster with the defaults, a NATS secret, an alert e-mail and a VPC looked up by id (the
 * lookup's answer given as context, as cdk.context.json holds it after a first {@code cdk synth}).
 * Synthesized once per test JVM and shared by the test classes that read it.
 */
final class DefaultCluster {
    static final String VPC_CONTEXT_KEY = "vpc-provider:account=" + Fixtures.ACCOUNT + ":filter.vpc-id=" + Fixtures.VPC_ID
            + ":region=" + Fixtures.REGION + ":returnAsymmetricSubnets=true";
    static final List<String> PRIVATE_SUBNETS = List.of("subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f");
    static final Map<String, Object> VPC_CONTEXT = Map.of(
            "vpcId", Fixtures.VPC_ID, "vpcCidrBlock", "10.0.0.0/16", "ownerAccountId", Fixtures.ACCOUNT,
            "availabilityZones", List.of(),
            "subnetGroups", List.of(
                    Map.of("name", "Private", "type", "Private", "subnets", List.of(
                            Map.of("subnetId", PRIVATE_SUBNETS.get(0), "cidr", "10.0.1.0/24",
                                    "availabilityZone", "us-east-1a", "routeTableId", "rtb-0aaa1111bbbb2222c"),
                            Map.of("subnetId", PRIVATE_SUBNETS.get(1), "cidr", "10.0.2.0/24",
                                    "availabilityZone", "us-east-1b", "routeTableId", "rtb-0ddd3333eeee4444f"))),
                    Map.of("name", "Public", "type", "Public", "subnets", List.of(
                            Map.of("subnetId", "subnet-0fff5555aaaa6666b", "cidr", "10.0.101.0/24",
                                    "availabilityZone", "us-east-1a", "routeTableId", "rtb-0fff5555aaaa6666b")))));

    static final TidemarkStack stack = new TidemarkStack(Fixtures.app(Map.of(VPC_CONTEXT_KEY, VPC_CONTEXT)), "Test",
            TidemarkStackProps.builder().account(Fixtures.ACCOUNT).region(Fixtures.REGION).clusters(List.of(
                    ClusterProps.builder("harmonylite")
                            .natsUrls(List.of("nats://nats-1.internal:4222", "tls://nats-2.internal:4222"))
                            .natsSecretArn(Fixtures.SECRET).alertEmail("oncall@example.com")
                            .functionsJar(Fixtures.jar()).replicaDir(Fixtures.replicaDir())
                            .network(Network.builder().vpcId(Fixtures.VPC_ID).build())
                            .build())).build());
    static final TidemarkCluster cluster = stack.cluster("harmonylite");
    static final Template template = Template.fromStack(stack);

    private DefaultCluster() {}

    /** A token as it appears in the template ({"Ref": ..}, {"Fn::GetAtt": ..}, {"Fn::Join": ..}). */
    static Object cfn(Object token) {
        return stack.resolve(token);
    }

    /** The function's name as the template's FunctionName property holds it. */
    static String name(FunctionKind kind) {
        return "tidemark-harmonylite-" + kind.name().charAt(0) + kind.name().substring(1).toLowerCase(Locale.ROOT);
    }

    /** A reference to the function, as aliases and versions hold it. */
    static Object fn(FunctionKind kind) {
        return cfn(cluster.function(kind).function().getFunctionName());
    }

    /** The ARN of the function's live alias. */
    static Object live(FunctionKind kind) {
        return cfn(cluster.function(kind).live().getFunctionArn());
    }
}
