package io.tidemark.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.IgnoreMode;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ecs.AssetImageProps;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ExecuteCommandConfiguration;
import software.amazon.awscdk.services.ecs.ExecuteCommandLogConfiguration;
import software.amazon.awscdk.services.ecs.ExecuteCommandLogging;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The long-lived replica on ECS Fargate, in the network that reaches NATS: the image from
 * replica/Dockerfile, {@code /health/live} as the container health check, a log group with retention, the
 * NATS user and password from the Secrets Manager secret, and the TIDEMARK_* environment of the
 * functions. The replica reads its settings from flags (the image's default is a TOML file), so the
 * task passes them as the command.
 *
 * <p>Grants: read the snapshots; and, because {@code POST /snapshot} publishes a full snapshot of the
 * live database (the way past a gap, or a cluster's first snapshot), upload under the prefix and take
 * the lease. No delete: retention runs in Build.
 */
public final class ReplicaService extends Construct {
    public static final int PORT = 8080;
    public static final String HEALTH_COMMAND = "curl -fsS http://localhost:" + PORT + "/health/live || exit 1";
    static final String DB_PATH = "/var/lib/tidemark/replica.db";

    private final FargateService service;
    private final FargateTaskDefinition task;

    ReplicaService(Construct scope, String id, ClusterProps p, ClusterNetwork network, Map<String, String> environment,
                   Bucket bucket, Table leases) {
        super(scope, id);
        task = FargateTaskDefinition.Builder.create(this, "Task").cpu(p.replica().cpu())
                .memoryLimitMiB(p.replica().memoryMb()).build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs").logGroupName("/tidemark/" + p.name() + "/replica")
                .retention(SnapshotFunction.retention(p.logRetentionDays())).removalPolicy(RemovalPolicy.DESTROY).build();
        // ECS Exec sessions (the runbook's way in) are logged beside the replica's own logs.
        LintSuppressions.checkov(logs, "CKV_AWS_158", "log lines carry ids, never row data or credentials;"
                + " CloudWatch encrypts them at rest with its own key");
        Cluster ecs = Cluster.Builder.create(this, "Ecs").vpc(network.vpc).containerInsights(true)
                .executeCommandConfiguration(ExecuteCommandConfiguration.builder()
                        .logging(ExecuteCommandLogging.OVERRIDE)
                        .logConfiguration(ExecuteCommandLogConfiguration.builder().cloudWatchLogGroup(logs)
                                .cloudWatchEncryptionEnabled(false).build()).build())
                .build();

        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("AWS_REGION", Stack.of(this).getRegion());
        ContainerDefinitionOptions.Builder container = ContainerDefinitionOptions.builder()
                .containerName("replica")
                // Only what the Dockerfile copies: the asset hash (and the upload) ignores the rest of replica/.
                .image(ContainerImage.fromAsset(p.replicaDir(), AssetImageProps.builder().ignoreMode(IgnoreMode.DOCKER)
                        .exclude(List.of("*", "!Dockerfile", "!target/tidemark.jar")).build()))
                .command(command(p, bucket, leases))
                .environment(env)
                .portMappings(List.of(PortMapping.builder().containerPort(PORT).build()))
                .healthCheck(HealthCheck.builder().command(List.of("CMD-SHELL", HEALTH_COMMAND))
                        .interval(Duration.seconds(30)).timeout(Duration.seconds(5)).retries(3)
                        // A restore of HEAD on start can take minutes; /health/live answers from the start.
                        .startPeriod(Duration.seconds(300)).build())
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix("replica").build()));
        if (p.natsSecretArn() != null) {
            ISecret secret = software.amazon.awscdk.services.secretsmanager.Secret.fromSecretCompleteArn(this,
                    "NatsSecret", p.natsSecretArn());
            // The whole JSON, so a {token} or {creds} secret works as {user, password} does (ECS fails a
            // task whose secret lacks a field it names); the replica reads it as the functions do.
            container.secrets(Map.of("TIDEMARK_NATS_SECRET", Secret.fromSecretsManager(secret)));
        }
        task.addContainer("Replica", container.build());

        Grants grants = new Grants(p, bucket, leases, null);
        List<PolicyStatement> statements = new ArrayList<>(grants.readSnapshots());
        statements.add(Grants.statement("PublishFullSnapshots", List.of("s3:PutObject", "s3:AbortMultipartUpload"),
                bucket.arnForObjects(p.prefix() + "/*")));
        statements.add(grants.lease());
        statements.forEach(s -> task.getTaskRole().addToPrincipalPolicy(s));

        service = FargateService.Builder.create(this, "Service").serviceName("tidemark-" + p.name() + "-replica")
                .cluster(ecs).taskDefinition(task).desiredCount(p.replica().desiredCount())
                .vpcSubnets(network.subnets).securityGroups(network.securityGroups).assignPublicIp(false)
                // ECS Exec: how an operator reaches POST /snapshot inside the private subnets (runbook, gap).
                .enableExecuteCommand(true)
                // One replica database per task; a rolling deploy may briefly run two, which is harmless.
                .minHealthyPercent(0).maxHealthyPercent(200)
                .circuitBreaker(software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker.builder()
                        .rollback(true).build())
                .build();
        CfnOutput.Builder.create(this, "EcsCluster").value(ecs.getClusterName())
                .description("Tidemark " + p.name() + " replica's ECS cluster (ECS Exec: docs/deploy.md)").build();
    }

    private static List<String> command(ClusterProps p, Bucket bucket, Table leases) {
        List<String> c = new ArrayList<>(List.of("--stream-prefix", p.name(), "--subject-prefix", p.subjectPrefix(),
                "--shards", Integer.toString(p.shards()), "--compress", Boolean.toString(p.compress()),
                "--max-entries", Long.toString(p.maxEntries()),
                "--store", "s3://" + bucket.getBucketName() + "/" + p.prefix(),
                "--lease-table", leases.getTableName(), "--db-path", DB_PATH, "--health", "0.0.0.0:" + PORT));
        for (String url : p.natsUrls()) {
            c.add("--nats-url");
            c.add(url);
        }
        return c;
    }

    public FargateService service() {
        return service;
    }

    public FargateTaskDefinition task() {
        return task;
    }
}
