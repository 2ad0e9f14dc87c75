package io.tidemark.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Everything one cluster needs: the snapshot bucket, the lease table, the four functions with their
 * schedules, the trigger and alert alarms, the operators' topic, a dashboard, and (with networking
 * props) the replica service. Clusters are independent; one app may hold several.
 */
public final class TidemarkCluster extends Construct {
    public static final String NAMESPACE = "Tidemark";

    private final ClusterProps props;
    private final Bucket bucket;
    private final Table leases;
    private final SnapshotFunction build;
    private final SnapshotFunction monitor;
    private final SnapshotFunction verify;
    private final SnapshotFunction trigger;
    private final FunctionUrl url;
    private final Topic alerts;

    public TidemarkCluster(Construct scope, String id, ClusterProps props) {
        super(scope, id);
        this.props = props;
        bucket = Bucket.Builder.create(this, "Snapshots")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .versioned(true)
                .lifecycleRules(List.of(LifecycleRule.builder().id("noncurrent-and-incomplete")
                        .noncurrentVersionExpiration(Duration.days(30))
                        .abortIncompleteMultipartUploadAfter(Duration.days(2)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        leases = Table.Builder.create(this, "Leases")
                .partitionKey(Attribute.builder().name("name").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute("ttl")
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        Map<String, String> env = environment();
        build = new SnapshotFunction(this, "Build", Handlers.BUILD, props.functionsJar(), props.buildMemoryMb(),
                Duration.minutes(props.buildTimeoutMinutes()), 1, env, props.logRetentionDays());
        Map<String, String> withBuild = new LinkedHashMap<>(env);
        withBuild.put("TIDEMARK_BUILD_FUNCTION", build.live().getFunctionArn());
        monitor = new SnapshotFunction(this, "Monitor", Handlers.MONITOR, props.functionsJar(), props.smallMemoryMb(),
                Duration.minutes(2), null, withBuild, props.logRetentionDays());
        verify = new SnapshotFunction(this, "Verify", Handlers.VERIFY, props.functionsJar(), props.buildMemoryMb(),
                Duration.minutes(15), null, env, props.logRetentionDays());
        trigger = new SnapshotFunction(this, "Trigger", Handlers.TRIGGER, props.functionsJar(), props.smallMemoryMb(),
                Duration.seconds(30), null, withBuild, props.logRetentionDays());
        grant();
        url = trigger.live().addFunctionUrl(FunctionUrlOptions.builder().authType(FunctionUrlAuthType.AWS_IAM).build());

        Rule.Builder.create(this, "BuildSchedule").description("Tidemark " + props.name() + ": scheduled build")
                .schedule(Schedule.expression(props.buildSchedule()))
                .targets(List.of(new LambdaFunction(build.live()))).build();
        Rule.Builder.create(this, "MonitorSchedule").description("Tidemark " + props.name() + ": monitor")
                .schedule(Schedule.rate(Duration.minutes(props.monitorMinutes())))
                .targets(List.of(new LambdaFunction(monitor.live()))).build();
        Rule.Builder.create(this, "VerifySchedule").description("Tidemark " + props.name() + ": restore test")
                .schedule(Schedule.expression(props.verifySchedule()))
                .targets(List.of(new LambdaFunction(verify.live()))).build();

        alerts = Topic.Builder.create(this, "Alerts").displayName("Tidemark " + props.name() + " alerts").build();
        if (props.alertEmail() != null) {
            alerts.addSubscription(new EmailSubscription(props.alertEmail()));
        }
        // Trigger alarms start Build through the rule below; emergency also pages the operators.
        alarm("pending-threshold", "PendingChanges", "Maximum", props.threshold(), false);
        alarm("pending-emergency", "PendingChanges", "Maximum", props.emergency(), true);
        alarm("pending-headroom", "PendingRatio", "Maximum", props.headroomRatio(), false);
        alarm("pending-alert", "PendingChanges", "Maximum", props.alertPending() + 1, true);
        alarm("snapshot-age", "SnapshotAgeSeconds", "Maximum", props.maxSnapshotAgeHours() * 3600 + 1, true);
        alarm("build-failed", "BuildFailed", "Sum", 1, true);
        alarm("verify-failed", "VerifyFailed", "Sum", 1, true);
        alarm("gap", "GapDetected", "Maximum", 1, true);
        Rule.Builder.create(this, "TriggerAlarms").description("Tidemark " + props.name() + ": trigger alarms -> Build")
                .eventPattern(EventPattern.builder().source(List.of("aws.cloudwatch"))
                        .detailType(List.of("CloudWatch Alarm State Change"))
                        .detail(Map.of("alarmName", List.of(props.name() + "-pending-threshold",
                                props.name() + "-pending-emergency", props.name() + "-pending-headroom"),
                                "state", Map.of("value", List.of("ALARM")))).build())
                .targets(List.of(new LambdaFunction(build.live()))).build();

        new TidemarkDashboard(this, "Dashboard", props, this::metric);
        if (props.network() != null) {
            new ReplicaService(this, "Replica", props, bucket, leases);
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TIDEMARK_CLUSTER", props.name());
        env.put("TIDEMARK_SUBJECT_PREFIX", props.subjectPrefix());
        env.put("TIDEMARK_SHARDS", Integer.toString(props.shards()));
        env.put("TIDEMARK_COMPRESS", Boolean.toString(props.compress()));
        env.put("TIDEMARK_MAX_ENTRIES", Long.toString(props.maxEntries()));
        env.put("TIDEMARK_NATS_URLS", String.join(",", props.natsUrls()));
        if (props.natsSecretArn() != null) {
            env.put("TIDEMARK_NATS_SECRET_ARN", props.natsSecretArn());
        }
        env.put("TIDEMARK_BUCKET", bucket.getBucketName());
        env.put("TIDEMARK_PREFIX", props.name());
        env.put("TIDEMARK_LEASE_TABLE", leases.getTableName());
        env.put("TIDEMARK_EVENT_BUS", "default");
        env.put("TIDEMARK_THRESHOLD", Long.toString(props.threshold()));
        env.put("TIDEMARK_EMERGENCY", Long.toString(props.emergency()));
        env.put("TIDEMARK_HEADROOM_RATIO", Double.toString(props.headroomRatio()));
        env.put("POWERTOOLS_SERVICE_NAME", "tidemark");
        env.put("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE);
        return env;
    }

    /** Each function gets exactly the actions it uses, on exactly its resources. */
    private void grant() {
        String objects = bucket.arnForObjects(props.name() + "/*");
        PolicyStatement read = statement(List.of("s3:GetObject"), objects);
        PolicyStatement list = statement(List.of("s3:ListBucket"), bucket.getBucketArn());
        PolicyStatement write = statement(List.of("s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"), objects);
        PolicyStatement monitorState = statement(List.of("s3:PutObject"), bucket.arnForObjects(props.name() + "/monitor/*"));
        PolicyStatement lease = statement(List.of("dynamodb:UpdateItem", "dynamodb:GetItem"), leases.getTableArn());
        PolicyStatement events = statement(List.of("events:PutEvents"), Stack.of(this).formatArn(
                software.amazon.awscdk.ArnComponents.builder().service("events").resource("event-bus")
                        .resourceName("default").build()));
        PolicyStatement invoke = statement(List.of("lambda:InvokeFunction"), build.live().getFunctionArn());
        for (SnapshotFunction f : List.of(build, monitor, verify, trigger)) {
            f.allow(read);
            f.allow(list);
            if (props.natsSecretArn() != null) {
                f.allow(statement(List.of("secretsmanager:GetSecretValue"), props.natsSecretArn()));
            }
        }
        build.allow(write);
        build.allow(lease);
        build.allow(events);
        verify.allow(events);
        monitor.allow(monitorState);
        monitor.allow(invoke);
        trigger.allow(invoke);
    }

    static PolicyStatement statement(List<String> actions, String resource) {
        return PolicyStatement.Builder.create().actions(actions).resources(List.of(resource)).build();
    }

    Metric metric(String name, String statistic) {
        return Metric.Builder.create().namespace(NAMESPACE).metricName(name)
                .dimensionsMap(Map.of("Cluster", props.name())).statistic(statistic)
                .period(Duration.minutes(props.monitorMinutes())).build();
    }

    private Alarm alarm(String what, String metricName, String statistic, double threshold, boolean notify) {
        Alarm a = Alarm.Builder.create(this, "Alarm-" + what)
                .alarmName(props.name() + "-" + what)
                .alarmDescription("Tidemark " + props.name() + ": " + metricName + " >= " + threshold
                        + " (see the runbook in docs/deploy.md)")
                .metric(metric(metricName, statistic))
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        if (notify) {
            a.addAlarmAction(new SnsAction(alerts));
        }
        return a;
    }

    public Bucket bucket() {
        return bucket;
    }

    public Table leases() {
        return leases;
    }

    public FunctionUrl url() {
        return url;
    }

    public Topic alerts() {
        return alerts;
    }
}
