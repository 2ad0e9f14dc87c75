package io.tidemark.infra;

import static io.tidemark.infra.DefaultCluster.cfn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The default cluster's replica service on Fargate. */
class ReplicaServiceTest {
    static final Template template = DefaultCluster.template;
    static final TidemarkCluster cluster = DefaultCluster.cluster;

    @Test
    void service_runsOnFargate_inThePrivateSubnets_withTheClustersSecurityGroup() {
        template.resourceCountIs("AWS::ECS::Service", 1);
        template.hasResourceProperties("AWS::ECS::Service", Map.of("LaunchType", "FARGATE", "DesiredCount", 1,
                "ServiceName", "tidemark-harmonylite-replica", "EnableExecuteCommand", true,
                "NetworkConfiguration", Map.of("AwsvpcConfiguration", Map.of("AssignPublicIp", "DISABLED",
                        "Subnets", DefaultCluster.PRIVATE_SUBNETS,
                        "SecurityGroups", List.of(Match.objectLike(Map.of("Fn::GetAtt",
                                Match.arrayWith(List.of(Match.stringLikeRegexp("NetworkEgress.*")))))))),
                "DeploymentConfiguration", Match.objectLike(Map.of("DeploymentCircuitBreaker",
                        Map.of("Enable", true, "Rollback", true)))));
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("Cpu", "1024", "Memory", "2048",
                "NetworkMode", "awsvpc", "RequiresCompatibilities", List.of("FARGATE")));
    }

    @Test
    void container_isTheReplicaImage_runWithTheClustersFlags_andChecksHealth() {
        List<String> nats = List.of("--nats-url", "nats://nats-1.internal:4222", "--nats-url", "tls://nats-2.internal:4222");
        List<Object> command = new ArrayList<>(List.of("--stream-prefix", "harmonylite", "--subject-prefix",
                "harmonylite-change-log", "--shards", "1", "--compress", "true", "--max-entries", "1024",
                "--store", cfn("s3://" + cluster.bucket().getBucketName() + "/harmonylite"),
                "--lease-table", cfn(cluster.leases().getTableName()), "--db-path", "/var/lib/tidemark/replica.db",
                "--health", "0.0.0.0:8080"));
        command.addAll(nats);
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("ContainerDefinitions", List.of(Map.of(
                "Name", "replica",
                "Image", Map.of("Fn::Sub", Match.stringLikeRegexp(".*container-assets.*")),
                "Command", command,
                "PortMappings", List.of(Map.of("ContainerPort", 8080, "Protocol", "tcp")),
                "HealthCheck", Map.of("Command", List.of("CMD-SHELL", "curl -fsS http://localhost:8080/health/live || exit 1"),
                        "Interval", 30, "Timeout", 5, "Retries", 3, "StartPeriod", 300),
                "LogConfiguration", Map.of("LogDriver", "awslogs", "Options", Match.objectLike(Map.of(
                        "awslogs-group", Match.objectLike(Map.of("Ref", Match.stringLikeRegexp(".*ReplicaLogs.*"))),
                        "awslogs-stream-prefix", "replica")))))));
    }

    @Test
    void container_getsTheFunctionsEnvironment_andNatsCredentialsFromTheSecret() {
        Map<String, Object> env = Fixtures.map("TIDEMARK_CLUSTER", "harmonylite",
                "TIDEMARK_NATS_URLS", "nats://nats-1.internal:4222,tls://nats-2.internal:4222",
                "TIDEMARK_NATS_SECRET_ARN", Fixtures.SECRET, "TIDEMARK_BUCKET", cfn(cluster.bucket().getBucketName()),
                "TIDEMARK_PREFIX", "harmonylite", "TIDEMARK_LEASE_TABLE", cfn(cluster.leases().getTableName()),
                "TIDEMARK_THRESHOLD", "5000", "AWS_REGION", Fixtures.REGION);
        env.forEach((name, value) -> template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of(
                "ContainerDefinitions", List.of(Match.objectLike(Map.of("Environment", Match.arrayWith(List.of(
                        Map.of("Name", name, "Value", value)))))))));
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("ContainerDefinitions", List.of(
                Match.objectLike(Map.of("Secrets", List.of(
                        Map.of("Name", "TIDEMARK_NATS_SECRET", "ValueFrom", Fixtures.SECRET)))))));
        // ECS reads the secret with the task's execution role, for that secret only.
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("Roles", List.of(cfn(cluster.replica().task()
                        .getExecutionRole().getRoleName())), "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                Map.of("Effect", "Allow", "Action", List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                        "Resource", Fixtures.SECRET))))));
    }
}
