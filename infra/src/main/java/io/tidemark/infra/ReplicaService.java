package io.tidemark.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The long-lived replica on ECS Fargate in the VPC that reaches NATS: the image from
 * replica/Dockerfile, its /health as the container health check, a log group, read access to the
 * snapshots and the lease (for full snapshots past a gap), NATS credentials from Secrets Manager.
 */
final class ReplicaService extends Construct {
    ReplicaService(Construct scope, String id, ClusterProps p, Bucket bucket, Table leases) {
        super(scope, id);
        ClusterProps.Network n = p.network();
        IVpc vpc = Vpc.fromVpcAttributes(this, "Vpc", VpcAttributes.builder().vpcId(n.vpcId())
                .availabilityZones(n.availabilityZones()).privateSubnetIds(n.privateSubnetIds()).build());
        Cluster ecs = Cluster.Builder.create(this, "Ecs").vpc(vpc).build();
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, "Task").cpu(p.replicaCpu())
                .memoryLimitMiB(p.replicaMemoryMb()).build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs").retention(SnapshotFunction.retention(p.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY).build();
        List<String> command = new ArrayList<>(List.of("--stream-prefix", p.name(), "--subject-prefix", p.subjectPrefix(),
                "--shards", Integer.toString(p.shards()), "--compress", Boolean.toString(p.compress()),
                "--max-entries", Long.toString(p.maxEntries()), "--store", "s3://" + bucket.getBucketName() + "/" + p.name(),
                "--lease-table", leases.getTableName(), "--db-path", "/var/lib/tidemark/replica.db",
                "--health", "0.0.0.0:8080"));
        for (String url : p.natsUrls()) {
            command.add("--nats-url");
            command.add(url);
        }
        ContainerDefinitionOptions.Builder container = ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromAsset(p.replicaDir(), AssetImageProps.builder().build()))
                .command(command)
                .portMappings(List.of(PortMapping.builder().containerPort(8080).build()))
                .healthCheck(HealthCheck.builder().command(List.of("CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"))
                        .interval(Duration.seconds(30)).timeout(Duration.seconds(5)).retries(3)
                        .startPeriod(Duration.seconds(120)).build())
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("replica").build()))
                .environment(Map.of("AWS_REGION", software.amazon.awscdk.Stack.of(this).getRegion()));
        if (p.natsSecretArn() != null) {
            ISecret secret = software.amazon.awscdk.services.secretsmanager.Secret.fromSecretCompleteArn(this, "Nats",
                    p.natsSecretArn());
            container.secrets(Map.of("TIDEMARK_NATS_USER", Secret.fromSecretsManager(secret, "user"),
                    "TIDEMARK_NATS_PASSWORD", Secret.fromSecretsManager(secret, "password")));
        }
        task.addContainer("replica", container.build());
        task.getTaskRole().addToPrincipalPolicy(TidemarkCluster.statement(List.of("s3:GetObject"),
                bucket.arnForObjects(p.name() + "/*")));
        task.getTaskRole().addToPrincipalPolicy(TidemarkCluster.statement(List.of("s3:ListBucket"), bucket.getBucketArn()));
        task.getTaskRole().addToPrincipalPolicy(TidemarkCluster.statement(List.of("s3:PutObject"),
                bucket.arnForObjects(p.name() + "/*")));
        task.getTaskRole().addToPrincipalPolicy(TidemarkCluster.statement(List.of("dynamodb:UpdateItem",
                "dynamodb:GetItem"), leases.getTableArn()));
        List<ISecurityGroup> groups = new ArrayList<>();
        for (int i = 0; i < n.securityGroupIds().size(); i++) {
            groups.add(SecurityGroup.fromSecurityGroupId(this, "Sg" + i, n.securityGroupIds().get(i)));
        }
        FargateService.Builder.create(this, "Service").cluster(ecs).taskDefinition(task)
                .desiredCount(p.replicaCount()).securityGroups(groups)
                .vpcSubnets(SubnetSelection.builder().subnets(vpc.getPrivateSubnets()).build())
                .assignPublicIp(false).build();
    }
}
