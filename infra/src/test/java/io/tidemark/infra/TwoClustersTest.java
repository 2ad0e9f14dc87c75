package io.tidemark.infra;

import io.tidemark.infra.ClusterProps.FunctionKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Vpc;

/**
 * Two clusters in one stack: alpha read from a clusters file with every prop away from its default
 * (a VPC given by id, zones and subnets, functions outside it), beta from the builder with the
 * defaults and a VPC object passed in from another stack. Each gets its own set, wired to itself.
 */
class TwoClustersTest {
    static final String ALPHA_SUBNET = "subnet-0aaaaaaaaaaaaaaa1";
    static final String ALPHA_SG = "sg-0ccccccccccccccc3";
    static TidemarkStack stack;
    static Template template;
    static TidemarkCluster alpha;
    static TidemarkCluster beta;

    @BeforeAll
    static void synth() throws Exception {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "two-clusters.json");
        Files.writeString(file, """
                {"account": "123456789012", "region": "eu-west-1", "stackName": "Two", "clusters": [
                  {"name": "alpha", "natsUrls": ["nats://alpha-nats:4222"], "subjectPrefix": "alpha-subjects",
                   "shards": 4, "compress": true, "maxEntries": 50000, "prefix": "tenants/alpha",
                   "eventBus": "tidemark-bus", "threshold": 100, "emergency": 200, "headroomRatio": 0.25,
                   "alertPending": 150, "maxSnapshotAgeHours": 12, "buildSchedule": "cron(30 1 * * ? *)",
                   "monitorRateMinutes": 2, "verifySchedule": "cron(15 5 ? * MON *)",
                   "functions": {"build": {"memoryMb": 4096, "timeoutSeconds": 600, "ephemeralStorageMb": 4096},
                                 "monitor": {"memoryMb": 512}, "verify": {"timeoutSeconds": 300},
                                 "trigger": {"memoryMb": 768, "timeoutSeconds": 10}},
                   "logRetentionDays": 90, "functionsJar": "JAR", "replicaDir": "DIR",
                   "network": {"vpcId": "vpc-0123456789abcdef0", "availabilityZones": ["eu-west-1a"],
                               "subnetIds": ["SUBNET"], "securityGroupIds": ["SG"], "functionsInVpc": false},
                   "replica": {"cpu": 2048, "memoryMb": 8192, "desiredCount": 2}}]}
                """.replace("JAR", Fixtures.jar()).replace("DIR", Fixtures.replicaDir())
                .replace("SUBNET", ALPHA_SUBNET).replace("SG", ALPHA_SG));
        ClustersFile.Deployment d = ClustersFile.read(file, Set.of());
        App app = Fixtures.app();
        Environment env = Environment.builder().account(Fixtures.ACCOUNT).region("eu-west-1").build();
        Stack network = new Stack(app, "Network", StackProps.builder().env(env).build());
        Vpc vpc = Vpc.Builder.create(network, "Vpc").maxAzs(2).natGateways(1).build();
        ClusterProps betaProps = ClusterProps.builder("beta").functionsJar(Fixtures.jar()).replicaDir(Fixtures.replicaDir())
                .network(Network.builder().vpc(vpc).build()).build();
        stack = new TidemarkStack(app, d.stackName(), TidemarkStackProps.builder().account(d.props().account())
                .region(d.props().region()).clusters(List.of(d.props().clusters().get(0), betaProps)).build());
        template = Template.fromStack(stack);
        alpha = stack.cluster("alpha");
        beta = stack.cluster("beta");
    }

    static Object cfn(Object token) {
        return stack.resolve(token);
    }

    static Object live(TidemarkCluster c, FunctionKind kind) {
        return cfn(c.function(kind).live().getFunctionArn());
    }

    @Test
    void eachClusterGetsItsOwnSet() {
        Map<String, Integer> perCluster = Map.of("AWS::S3::Bucket", 1, "AWS::DynamoDB::Table", 1,
                "AWS::Lambda::Function", 4, "AWS::Lambda::Alias", 4, "AWS::Lambda::Url", 1, "AWS::SNS::Topic", 1,
                "AWS::CloudWatch::Alarm", 8, "AWS::CloudWatch::Dashboard", 1, "AWS::Events::Rule", 4,
                "AWS::ECS::Service", 1);
        perCluster.forEach((type, n) -> template.resourceCountIs(type, 2 * n));
        for (String c : List.of("alpha", "beta")) {
            template.hasResourceProperties("AWS::CloudWatch::Dashboard", Map.of("DashboardName", "tidemark-" + c));
            template.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "tidemark-" + c + "-alerts"));
        }
        template.resourceCountIs("AWS::SNS::Subscription", 0);
    }

    @Test
    void eachClustersTriggerAlarms_startItsOwnBuild() {
        for (TidemarkCluster c : List.of(alpha, beta)) {
            String n = c.props().name();
            template.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Map.of("detail", Map.of(
                    "alarmName", List.of(n + "-pending-threshold", n + "-pending-emergency", n + "-pending-headroom"))),
                    "Targets", List.of(Map.of("Arn", live(c, FunctionKind.BUILD)))));
        }
    }

    @Test
    void alpha_alarmsUseItsLevels_betaKeepsTheDefaults() {
        Map<String, List<Object>> alarms = Map.of("pending-threshold", List.of(100, 5000),
                "pending-emergency", List.of(200, 8000), "pending-headroom", List.of(0.25, 0.5),
                "pending-alert", List.of(150, 7000), "snapshot-age", List.of(12 * 3600, 48 * 3600));
        alarms.forEach((what, levels) -> {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "alpha-" + what,
                    "Threshold", levels.get(0), "Period", 120, "Dimensions", List.of(Map.of("Name", "Cluster", "Value", "alpha"))));
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "beta-" + what,
                    "Threshold", levels.get(1), "Period", 300, "Dimensions", List.of(Map.of("Name", "Cluster", "Value", "beta"))));
        });
    }

    @Test
    void alpha_schedulesComeFromItsProps() {
        Map<String, FunctionKind> alphaSchedules = Map.of("cron(30 1 * * ? *)", FunctionKind.BUILD, "rate(2 minutes)",
                FunctionKind.MONITOR, "cron(15 5 ? * MON *)", FunctionKind.VERIFY);
        alphaSchedules.forEach((expression, kind) -> template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", expression, "Targets", List.of(Map.of("Arn", live(alpha, kind))))));
        Map<String, FunctionKind> betaSchedules = Map.of("cron(0 2 * * ? *)", FunctionKind.BUILD, "rate(5 minutes)",
                FunctionKind.MONITOR, "cron(0 4 * * ? *)", FunctionKind.VERIFY);
        betaSchedules.forEach((expression, kind) -> template.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", expression, "Targets", List.of(Map.of("Arn", live(beta, kind))))));
    }

    @Test
    void alpha_functionsAreSizedByProps_outsideTheVpc_andBuildWithBigTmpHasNoSnapStart() {
        Map<String, List<Integer>> sizes = Map.of("Build", List.of(4096, 600, 4096), "Monitor", List.of(512, 120, 512),
                "Verify", List.of(2048, 300, 512), "Trigger", List.of(768, 10, 512));
        sizes.forEach((id, s) -> template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "tidemark-alpha-" + id, "MemorySize", s.get(0), "Timeout", s.get(1),
                "EphemeralStorage", Map.of("Size", s.get(2)), "VpcConfig", Match.absent(),
                "SnapStart", id.equals("Build") ? Match.absent() : Map.of("ApplyOn", "PublishedVersions"))));
        template.resourcePropertiesCountIs("AWS::Lambda::Function", Map.of("VpcConfig", Match.anyValue()), 4); // beta's
    }

    @Test
    void alpha_environmentCarriesItsStreamsPrefixBusAndLevels() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("FunctionName", "tidemark-alpha-Build",
                "Environment", Map.of("Variables", Fixtures.map("TIDEMARK_CLUSTER", "alpha",
                        "TIDEMARK_SUBJECT_PREFIX", "alpha-subjects", "TIDEMARK_SHARDS", "4", "TIDEMARK_COMPRESS", "true",
                        "TIDEMARK_MAX_ENTRIES", "50000", "TIDEMARK_NATS_URLS", "nats://alpha-nats:4222",
                        "TIDEMARK_NATS_SECRET_ARN", Match.absent(), "TIDEMARK_BUCKET", cfn(alpha.bucket().getBucketName()),
                        "TIDEMARK_PREFIX", "tenants/alpha", "TIDEMARK_LEASE_TABLE", cfn(alpha.leases().getTableName()),
                        "TIDEMARK_EVENT_BUS", "tidemark-bus", "TIDEMARK_THRESHOLD", "100", "TIDEMARK_EMERGENCY", "200",
                        "TIDEMARK_HEADROOM_RATIO", "0.25"))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("FunctionName", "tidemark-beta-Build",
                "Environment", Map.of("Variables", Map.of("TIDEMARK_CLUSTER", "beta",
                        "TIDEMARK_BUCKET", cfn(beta.bucket().getBucketName())))));
    }

    @Test
    void alpha_grantsCoverItsPrefixAndItsBus_only() {
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(cfn(alpha.function(FunctionKind.VERIFY).function().getRole().getRoleName())),
                "PolicyDocument", Match.objectEquals(Map.of("Version", "2012-10-17", "Statement", List.of(
                        Map.of("Sid", "ReadSnapshots", "Effect", "Allow", "Action", "s3:GetObject",
                                "Resource", cfn(alpha.bucket().arnForObjects("tenants/alpha/*"))),
                        Map.of("Sid", "ListSnapshots", "Effect", "Allow", "Action", "s3:ListBucket",
                                "Resource", cfn(alpha.bucket().getBucketArn())),
                        Map.of("Sid", "PutEvents", "Effect", "Allow", "Action", "events:PutEvents",
                                "Resource", cfn(TidemarkCluster.eventBusArn(stack, "tidemark-bus"))))))));
    }

    @Test
    void logs_keepEachClustersRetention() {
        template.resourcePropertiesCountIs("AWS::Logs::LogGroup", Map.of("RetentionInDays", 90), 5);
        template.resourcePropertiesCountIs("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30), 5);
    }

    @Test
    void replicas_useTheirSizesAndNetworks() {
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of("Cpu", "2048", "Memory", "8192"));
        template.hasResourceProperties("AWS::ECS::Service", Map.of("ServiceName", "tidemark-alpha-replica",
                "DesiredCount", 2, "NetworkConfiguration", Map.of("AwsvpcConfiguration", Map.of(
                        "Subnets", List.of(ALPHA_SUBNET), "SecurityGroups", List.of(ALPHA_SG)))));
        template.hasResourceProperties("AWS::ECS::Service", Map.of("ServiceName", "tidemark-beta-replica",
                "DesiredCount", 1, "NetworkConfiguration", Map.of("AwsvpcConfiguration", Map.of(
                        "Subnets", List.of(Match.objectLike(Map.of("Fn::ImportValue", Match.anyValue())),
                                Match.objectLike(Map.of("Fn::ImportValue", Match.anyValue())))))));
        // alpha named its security group; only beta gets a new one.
        template.resourceCountIs("AWS::EC2::SecurityGroup", 1);
    }
}
