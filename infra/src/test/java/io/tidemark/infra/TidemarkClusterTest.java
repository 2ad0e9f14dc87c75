package io.tidemark.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.functions.BuildHandler;
import io.tidemark.functions.MonitorHandler;
import io.tidemark.functions.TriggerHandler;
import io.tidemark.functions.VerifyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The template of one default cluster (with a replica service), built once and asserted offline. */
class TidemarkClusterTest {
    static Template template;

    static Path jar() throws Exception {
        Path jar = Path.of(System.getProperty("java.io.tmpdir"), "fake-functions.jar");
        if (!Files.exists(jar)) {
            Files.write(jar, new byte[]{'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        }
        return jar;
    }

    static Path replicaDir() throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "fake-replica");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        return dir;
    }

    static Template synth(ClusterProps... clusters) {
        App app = new App();
        return Template.fromStack(new TidemarkStack(app, "Test", StackProps.builder().build(), List.of(clusters)));
    }

    @BeforeAll
    static void build() throws Exception {
        template = synth(ClusterProps.builder("harmonylite").natsUrls(List.of("nats://n1:4222"))
                .natsSecretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:nats-AbCdEf")
                .alertEmail("oncall@example.com").functionsJar(jar().toString()).replicaDir(replicaDir().toString())
                .network(new ClusterProps.Network("vpc-0123", List.of("us-east-1a", "us-east-1b"),
                        List.of("subnet-a", "subnet-b"), List.of("sg-1")))
                .build());
    }

    @Test
    void bucket_isPrivateEncryptedVersioned_withLifecycle_andTlsOnly() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "BucketEncryption", Match.objectLike(Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                        "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30),
                        "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 2),
                        "Status", "Enabled")))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    @Test
    void leaseTable_isOnDemand_withTtl_andPointInTimeRecovery() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "KeySchema", List.of(Map.of("AttributeName", "name", "KeyType", "HASH")),
                "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))));
    }

    @Test
    void fourFunctions_java21_snapStart_handlersAreTheRealClasses() {
        Map<String, String> handlers = Map.of(Handlers.BUILD, BuildHandler.class.getName(), Handlers.MONITOR,
                MonitorHandler.class.getName(), Handlers.VERIFY, VerifyHandler.class.getName(), Handlers.TRIGGER,
                TriggerHandler.class.getName());
        handlers.forEach((handler, cls) -> assertThat(handler).isEqualTo(cls + "::handleRequest"));
        Map<String, Map<String, Object>> fns = template.findResources("AWS::Lambda::Function");
        assertThat(fns).hasSize(4);
        for (Map<String, Object> fn : fns.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) fn.get("Properties");
            assertThat(p.get("Runtime")).isEqualTo("java21");
            assertThat(handlers).containsKey((String) p.get("Handler"));
            assertThat(p.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        }
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Handler", Handlers.BUILD,
                "ReservedConcurrentExecutions", 1, "MemorySize", 2048, "Timeout", 900)));
        template.resourceCountIs("AWS::Lambda::Alias", 4);
        template.resourceCountIs("AWS::Logs::LogGroup", 5);
        template.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30)));
    }

    @Test
    void triggerUrl_usesIamAuth() {
        template.hasResourceProperties("AWS::Lambda::Url", Match.objectLike(Map.of("AuthType", "AWS_IAM")));
    }

    @Test
    void schedules_defaultToDailyBuildAt0200_monitorEvery5Minutes_verifyDaily() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression",
                "cron(0 2 * * ? *)")));
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression",
                "rate(5 minutes)")));
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression",
                "cron(0 4 * * ? *)")));
    }

    @Test
    void alarms_haveTheDefaultThresholds() {
        Map<String, Number> expected = Map.of("harmonylite-pending-threshold", 5000, "harmonylite-pending-emergency", 8000,
                "harmonylite-pending-headroom", 0.5, "harmonylite-pending-alert", 7001,
                "harmonylite-snapshot-age", 48 * 3600 + 1, "harmonylite-build-failed", 1, "harmonylite-verify-failed", 1,
                "harmonylite-gap", 1);
        expected.forEach((name, threshold) -> template.hasResourceProperties("AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of("AlarmName", name, "Threshold", threshold, "Namespace", "Tidemark",
                        "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                        "Dimensions", List.of(Map.of("Name", "Cluster", "Value", "harmonylite"))))));
    }

    @Test
    void triggerAlarms_reachBuild_alertAlarms_reachSns() {
        Map<String, Object> pattern = Map.of("source", List.of("aws.cloudwatch"),
                "detail-type", List.of("CloudWatch Alarm State Change"),
                "detail", Map.of("alarmName", Match.anyValue(),
                        "state", Map.of("value", List.of("ALARM"))));
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("EventPattern", pattern,
                "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref",
                        Match.stringLikeRegexp(".*BuildLive.*"))))))));
        String rule = template.findResources("AWS::Events::Rule").values().stream().map(Object::toString)
                .filter(r -> r.contains("CloudWatch Alarm State Change")).findFirst().orElseThrow();
        assertThat(rule).contains("harmonylite-pending-threshold", "harmonylite-pending-emergency",
                "harmonylite-pending-headroom").doesNotContain("harmonylite-gap");
        for (String alert : List.of("pending-emergency", "pending-alert", "snapshot-age", "build-failed", "verify-failed",
                "gap")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "AlarmName", "harmonylite-" + alert, "AlarmActions", List.of(Map.of("Ref",
                            Match.stringLikeRegexp(".*Alerts.*"))))));
        }
        for (String quiet : List.of("pending-threshold", "pending-headroom")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "AlarmName", "harmonylite-" + quiet, "AlarmActions", Match.absent())));
        }
        template.hasResourceProperties("AWS::SNS::Subscription", Match.objectLike(Map.of("Protocol", "email",
                "Endpoint", "oncall@example.com")));
    }

    @Test
    void noIamStatement_hasAWildcardAction() {
        int statements = 0;
        for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                    policy.get("Properties")).get("PolicyDocument")).get("Statement");
            for (Map<String, Object> st : list) {
                Object action = st.get("Action");
                List<?> actions = action instanceof List<?> l ? l : List.of(action);
                assertThat(actions).as("statement %s", st).allSatisfy(a -> assertThat((String) a).doesNotContain("*"));
                statements++;
            }
        }
        assertThat(statements).isGreaterThan(10);
    }

    @Test
    void eachFunction_getsOnlyWhatItUses() {
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of("PolicyDocument", Match.objectLike(
                Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Action",
                        List.of("dynamodb:UpdateItem", "dynamodb:GetItem"))))))))));
        // Only Build writes snapshots and takes the lease; only Monitor and Trigger invoke Build.
        int leaseHolders = 0;
        int invokers = 0;
        for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
            String doc = policy.toString();
            leaseHolders += doc.contains("dynamodb:UpdateItem") ? 1 : 0;
            invokers += doc.contains("lambda:InvokeFunction") ? 1 : 0;
        }
        assertThat(leaseHolders).isEqualTo(2); // Build, and the replica task (full snapshots)
        assertThat(invokers).isEqualTo(2);
    }

    @Test
    void dashboard_showsPendingAgainstThresholds() {
        template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        String body = template.findResources("AWS::CloudWatch::Dashboard").values().iterator().next().toString();
        assertThat(body).contains("PendingChanges").contains("threshold").contains("emergency")
                .contains("SnapshotAgeSeconds").contains("BuildMillis").contains("VerifyFailed");
    }

    @Test
    void replicaService_runsOnFargate_withHealthCheckLogsAndNatsSecret() {
        template.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of("LaunchType", "FARGATE",
                "DesiredCount", 1)));
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("ContainerDefinitions",
                List.of(Match.objectLike(Map.of(
                        "HealthCheck", Match.objectLike(Map.of("Command", List.of("CMD-SHELL",
                                "curl -fsS http://localhost:8080/health || exit 1"))),
                        "LogConfiguration", Match.objectLike(Map.of("LogDriver", "awslogs")),
                        "Secrets", Match.arrayWith(List.of(Match.objectLike(Map.of("Name", "TIDEMARK_NATS_USER"))))))))));
    }

    @Test
    void propsOverrideDefaults_andTwoClustersAreIndependent() throws Exception {
        Template two = synth(
                ClusterProps.builder("alpha").threshold(100).emergency(200).buildSchedule("cron(30 1 * * ? *)")
                        .monitorMinutes(2).functionsJar(jar().toString()).build(),
                ClusterProps.builder("beta").functionsJar(jar().toString()).build());
        two.resourceCountIs("AWS::S3::Bucket", 2);
        two.resourceCountIs("AWS::DynamoDB::Table", 2);
        two.resourceCountIs("AWS::Lambda::Function", 8);
        two.resourceCountIs("AWS::ECS::Service", 0);
        two.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("AlarmName", "alpha-pending-threshold",
                "Threshold", 100)));
        two.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of("AlarmName", "beta-pending-threshold",
                "Threshold", 5000)));
        two.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression",
                "cron(30 1 * * ? *)")));
        two.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("ScheduleExpression", "rate(2 minutes)")));
    }

    @Test
    void badProps_areRejectedWithTheField() {
        assertThatThrownBy(() -> ClusterProps.builder("c").threshold(9000).emergency(8000).build())
                .hasMessageContaining("emergency (8000) must be at least threshold (9000)");
        assertThatThrownBy(() -> ClusterProps.builder("bad name!")).hasMessageContaining("cluster name");
        assertThatThrownBy(() -> ClusterProps.builder("c").buildTimeoutMinutes(20).build()).hasMessageContaining("15 minutes");
        assertThatThrownBy(() -> SnapshotFunction.retention(4)).hasMessageContaining("logRetentionDays 4");
    }
}
