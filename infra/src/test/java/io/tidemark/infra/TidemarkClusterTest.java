package io.tidemark.infra;

import static io.tidemark.infra.DefaultCluster.cfn;
import static io.tidemark.infra.DefaultCluster.fn;
import static io.tidemark.infra.DefaultCluster.live;
import static io.tidemark.infra.DefaultCluster.name;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tidemark.core.build.BuilderJvm;
import io.tidemark.functions.BuildHandler;
import io.tidemark.functions.MonitorHandler;
import io.tidemark.functions.TriggerHandler;
import io.tidemark.functions.VerifyHandler;
import io.tidemark.infra.ClusterProps.FunctionKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The default cluster's storage, functions, schedules, alarms and dashboard ({@link DefaultCluster}). */
class TidemarkClusterTest {
    static TidemarkCluster cluster;
    static Template template;

    @BeforeAll
    static void synth() {
        cluster = DefaultCluster.cluster;
        template = DefaultCluster.template;
    }

    @Test
    void bucket_blocksPublicAccess_isEncryptedVersionedTlsOnly_andExpiresOldVersionsAndUploads() {
        template.resourceCountIs("AWS::S3::Bucket", 1);
        template.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain", "Properties", Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LifecycleConfiguration", Map.of("Rules", List.of(Map.of(
                        "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30),
                        "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 2),
                        "Status", "Enabled"))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", cfn(cluster.bucket().getBucketName()),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Action", "s3:*", "Principal", Map.of("AWS", "*"),
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void leaseTable_isOnDemand_keyedByName_withTtlAndPointInTimeRecovery() {
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectEquals(Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "KeySchema", List.of(Map.of("AttributeName", "name", "KeyType", "HASH")),
                "AttributeDefinitions", List.of(Map.of("AttributeName", "name", "AttributeType", "S")),
                "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))));
    }

    @Test
    void handlers_areTheFunctionsModulesClasses() {
        Map<FunctionKind, Class<?>> classes = Map.of(FunctionKind.BUILD, BuildHandler.class, FunctionKind.MONITOR,
                MonitorHandler.class, FunctionKind.VERIFY, VerifyHandler.class, FunctionKind.TRIGGER, TriggerHandler.class);
        assertThat(List.of(Handlers.BUILD, Handlers.MONITOR, Handlers.VERIFY, Handlers.TRIGGER)).containsExactly(
                BuildHandler.class.getName() + "::handleRequest", MonitorHandler.class.getName() + "::handleRequest",
                VerifyHandler.class.getName() + "::handleRequest", TriggerHandler.class.getName() + "::handleRequest");
        template.resourceCountIs("AWS::Lambda::Function", 4);
        classes.forEach((kind, cls) -> {
            assertThat(RequestHandler.class).isAssignableFrom(cls);
            template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "FunctionName", name(kind), "Handler", cls.getName() + "::handleRequest"));
        });
    }

    @Test
    void functions_runJava21_withSnapStart_sizesFromProps_andBuildAlone() {
        Map<FunctionKind, List<Integer>> sizes = Map.of(FunctionKind.BUILD, List.of(2048, 900),
                FunctionKind.MONITOR, List.of(1024, 120), FunctionKind.VERIFY, List.of(2048, 900),
                FunctionKind.TRIGGER, List.of(1024, 30));
        sizes.forEach((kind, size) -> template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", name(kind), "Runtime", "java21",
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "MemorySize", size.get(0), "Timeout", size.get(1), "EphemeralStorage", Map.of("Size", 512),
                "ReservedConcurrentExecutions", kind == FunctionKind.BUILD ? 1 : Match.absent(),
                "LoggingConfig", Map.of("LogGroup", cfn(cluster.function(kind).function().getLogGroup().getLogGroupName())))));
        template.resourceCountIs("AWS::Lambda::Version", 4);
        template.resourceCountIs("AWS::Lambda::Alias", 4);
        for (FunctionKind kind : FunctionKind.values()) {
            template.hasResourceProperties("AWS::Lambda::Alias", Map.of("Name", "live", "FunctionName", fn(kind),
                    "FunctionVersion", cfn(cluster.function(kind).function().getCurrentVersion().getVersion())));
        }
    }

    @Test
    void functions_runInTheLookedUpVpcsPrivateSubnets() {
        template.allResourcesProperties("AWS::Lambda::Function", Map.of("VpcConfig", Map.of(
                "SubnetIds", DefaultCluster.PRIVATE_SUBNETS, "SecurityGroupIds", List.of(Match.objectLike(Map.of("Fn::GetAtt",
                        Match.arrayWith(List.of(Match.stringLikeRegexp("NetworkEgress.*")))))))));
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("VpcId", Fixtures.VPC_ID,
                "SecurityGroupEgress", List.of(Map.of("CidrIp", "0.0.0.0/0", "IpProtocol", "-1"))));
    }

    @Test
    void logs_areKeptForTheRetentionDays() {
        template.resourceCountIs("AWS::Logs::LogGroup", 5); // four functions and the replica
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
    }

    @Test
    void environment_isTheFunctionsContract() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("TIDEMARK_CLUSTER", "harmonylite");
        env.put("TIDEMARK_SUBJECT_PREFIX", "harmonylite-change-log");
        env.put("TIDEMARK_SHARDS", "1");
        env.put("TIDEMARK_COMPRESS", "true");
        env.put("TIDEMARK_MAX_ENTRIES", "1024");
        env.put("TIDEMARK_NATS_URLS", "nats://nats-1.internal:4222,tls://nats-2.internal:4222");
        env.put("TIDEMARK_NATS_SECRET_ARN", Fixtures.SECRET);
        env.put("TIDEMARK_BUCKET", cfn(cluster.bucket().getBucketName()));
        env.put("TIDEMARK_PREFIX", "harmonylite");
        env.put("TIDEMARK_LEASE_TABLE", cfn(cluster.leases().getTableName()));
        env.put("TIDEMARK_EVENT_BUS", "default");
        env.put("TIDEMARK_THRESHOLD", "5000");
        env.put("TIDEMARK_EMERGENCY", "8000");
        env.put("TIDEMARK_HEADROOM_RATIO", "0.5");
        env.put("POWERTOOLS_SERVICE_NAME", "tidemark");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "Tidemark");
        for (FunctionKind kind : FunctionKind.values()) {
            Map<String, Object> expected = new LinkedHashMap<>(env);
            // Monitor and Trigger invoke Build (asynchronously) through its live alias.
            boolean invokes = kind == FunctionKind.MONITOR || kind == FunctionKind.TRIGGER;
            if (invokes) {
                expected.put("TIDEMARK_BUILD_FUNCTION", live(FunctionKind.BUILD));
            }
            // Build and Verify hash whole databases: C2 (level 4), not Lambda's C1-only default.
            if (kind == FunctionKind.BUILD || kind == FunctionKind.VERIFY) {
                expected.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=4 -XX:+UseSerialGC -Xmn64m");
            }
            template.hasResourceProperties("AWS::Lambda::Function", Map.of("FunctionName", name(kind),
                    "Environment", Map.of("Variables", Match.objectEquals(expected))));
        }
    }

    @Test
    void builderJvm_isCoresBuilderJvm() {
        assertThat(TidemarkCluster.BUILDER_JVM).isEqualTo(BuilderJvm.toolOptions());
    }

    @Test
    void trigger_hasAFunctionUrlWithIamAuth_onItsLiveAlias() {
        template.resourceCountIs("AWS::Lambda::Url", 1);
        template.hasResourceProperties("AWS::Lambda::Url", Match.objectEquals(Map.of("AuthType", "AWS_IAM",
                "Qualifier", "live", "TargetFunctionArn", cfn(cluster.function(FunctionKind.TRIGGER).function()
                        .getFunctionArn()))));
    }

    @Test
    void schedules_defaultToBuildAt0200_monitorEvery5Minutes_verifyAt0400_eachOnTheLiveAlias() {
        Map<String, FunctionKind> schedules = Map.of("cron(0 2 * * ? *)", FunctionKind.BUILD, "rate(5 minutes)",
                FunctionKind.MONITOR, "cron(0 4 * * ? *)", FunctionKind.VERIFY);
        schedules.forEach((expression, kind) -> {
            template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", expression,
                    "State", "ENABLED", "Targets", List.of(Map.of("Arn", live(kind)))));
            template.hasResourceProperties("AWS::Lambda::Permission", Map.of("Action", "lambda:InvokeFunction",
                    "Principal", "events.amazonaws.com", "FunctionName", live(kind)));
        });
    }

    @Test
    void alarms_haveTheDefaultLevels_onTheClustersEmfMetrics() {
        // name suffix -> metric, statistic, operator, threshold, periods, missing data
        Map<String, List<Object>> alarms = Map.of(
                "pending-threshold", List.of("PendingChanges", "Maximum", "GreaterThanOrEqualToThreshold", 5000, 1, "notBreaching"),
                "pending-emergency", List.of("PendingChanges", "Maximum", "GreaterThanOrEqualToThreshold", 8000, 1, "notBreaching"),
                "pending-headroom", List.of("PendingRatio", "Maximum", "GreaterThanOrEqualToThreshold", 0.5, 1, "notBreaching"),
                "pending-alert", List.of("PendingChanges", "Maximum", "GreaterThanThreshold", 7000, 1, "notBreaching"),
                "snapshot-age", List.of("SnapshotAgeSeconds", "Maximum", "GreaterThanThreshold", 48 * 3600, 3, "breaching"),
                "build-failed", List.of("BuildFailed", "Sum", "GreaterThanOrEqualToThreshold", 1, 1, "notBreaching"),
                "verify-failed", List.of("VerifyFailed", "Sum", "GreaterThanOrEqualToThreshold", 1, 1, "notBreaching"),
                "gap", List.of("GapDetected", "Maximum", "GreaterThanOrEqualToThreshold", 1, 1, "notBreaching"));
        template.resourceCountIs("AWS::CloudWatch::Alarm", alarms.size());
        alarms.forEach((what, a) -> template.hasResourceProperties("AWS::CloudWatch::Alarm", Fixtures.map(
                "AlarmName", "harmonylite-" + what, "Namespace", "Tidemark", "MetricName", a.get(0),
                "Dimensions", List.of(Map.of("Name", "Cluster", "Value", "harmonylite")),
                "Statistic", a.get(1), "ComparisonOperator", a.get(2), "Threshold", a.get(3),
                "EvaluationPeriods", a.get(4), "DatapointsToAlarm", a.get(4), "TreatMissingData", a.get(5),
                "Period", 300)));
    }

    @Test
    void triggerAlarms_startBuild_throughOneRuleOnTheirChangeToAlarm() {
        template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Match.objectEquals(Map.of("source", List.of("aws.cloudwatch"),
                        "detail-type", List.of("CloudWatch Alarm State Change"),
                        "detail", Map.of("alarmName", List.of("harmonylite-pending-threshold",
                                        "harmonylite-pending-emergency", "harmonylite-pending-headroom"),
                                "state", Map.of("value", List.of("ALARM"))))),
                "Targets", List.of(Map.of("Arn", live(FunctionKind.BUILD)))));
        template.resourcePropertiesCountIs("AWS::Lambda::Permission", Map.of("Principal", "events.amazonaws.com",
                "FunctionName", live(FunctionKind.BUILD)), 2); // the schedule and the alarm rule
        // The names the rule lists are the alarms' names.
        for (String t : ClusterAlarms.TRIGGERS) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "harmonylite-" + t));
        }
    }

    @Test
    void alertAlarms_notifyTheOperatorsTopic_triggerOnlyAlarmsDoNot() {
        Object topic = cfn(cluster.alerts().getTopicArn());
        for (String alert : List.of("pending-emergency", "pending-alert", "snapshot-age", "build-failed",
                "verify-failed", "gap")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "harmonylite-" + alert,
                    "AlarmActions", List.of(topic), "OKActions", List.of(topic)));
        }
        for (String quiet : List.of("pending-threshold", "pending-headroom")) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "harmonylite-" + quiet,
                    "AlarmActions", Match.absent()));
        }
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email",
                "Endpoint", "oncall@example.com", "TopicArn", topic));
    }

    @Test
    void dashboard_showsPendingAgainstTheLevels_ageBuildsAndVerifies() {
        template.hasResourceProperties("AWS::CloudWatch::Dashboard", Map.of("DashboardName", "tidemark-harmonylite",
                "DashboardBody", Match.serializedJson(Map.of("widgets", List.of(
                        widget("Pending changes", List.of(metric("PendingChanges", "Maximum")), List.of(
                                Map.of("value", 5000, "label", "threshold"), Map.of("value", 7000, "label", "alert"),
                                Map.of("value", 8000, "label", "emergency"))),
                        widget("Pending ratio (of max_entries)", List.of(metric("PendingRatio", "Maximum")),
                                List.of(Map.of("value", 0.5, "label", "headroom"))),
                        widget("Snapshot age (s)", List.of(metric("SnapshotAgeSeconds", "Maximum")),
                                List.of(Map.of("value", 172800, "label", "alert"))),
                        widget("Build results", List.of(metric("BuildSucceeded", "Sum"), metric("BuildFailed", "Sum"),
                                metric("GapDetected", "Maximum")), null),
                        widget("Build duration (ms)", List.of(metric("BuildMillis", "Maximum"),
                                metric("BuildMillis", "Average")), null),
                        widget("Verify results", List.of(metric("VerifySucceeded", "Sum"), metric("VerifyFailed", "Sum")),
                                null))))));
    }

    static Object widget(String title, List<Object> metrics, List<Map<String, Object>> lines) {
        return Match.objectLike(Map.of("properties", Match.objectLike(Map.of("title", title, "metrics", metrics,
                "annotations", lines == null ? (Object) Match.absent() : Map.of("horizontal",
                        lines.stream().map(l -> (Object) Match.objectLike(l)).toList())))));
    }

    /** Average is CloudWatch's default statistic: the dashboard leaves it out. */
    static Object metric(String name, String statistic) {
        return statistic.equals("Average") ? List.of("Tidemark", name, "Cluster", "harmonylite")
                : List.of("Tidemark", name, "Cluster", "harmonylite", Match.objectLike(Map.of("stat", statistic)));
    }

    @Test
    void outputs_nameTheBucketTableUrlAndTopic() {
        java.util.Set<String> outputs = template.findOutputs("*").keySet();
        for (String id : List.of("Bucket", "LeaseTable", "TriggerUrl", "AlertsTopic")) {
            assertThat(outputs).as(id).filteredOn(k -> k.contains(id)).hasSize(1);
        }
        template.hasOutput("*", Map.of("Value", cfn(cluster.url().getUrl())));
        template.hasOutput("*", Map.of("Value", cfn(cluster.bucket().getBucketName())));
    }
}
