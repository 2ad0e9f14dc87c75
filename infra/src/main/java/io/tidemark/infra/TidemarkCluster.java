package io.tidemark.infra;

import io.tidemark.infra.ClusterProps.FunctionKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * Everything one cluster needs: the snapshot bucket, the lease table, the four functions with their
 * schedules and least-privilege grants, Trigger's IAM-auth URL, the alarms and the operators' topic,
 * a dashboard, and (with a network) the replica service. Clusters share nothing; one stack may hold
 * several.
 */
public final class TidemarkCluster extends Construct {
    /** Snapshots are immutable and HEAD moves by compare-and-set: old versions only matter for a while. */
    static final int NONCURRENT_VERSION_DAYS = 30;
    static final int INCOMPLETE_UPLOAD_DAYS = 2;

    private final ClusterProps props;
    private final Bucket bucket;
    private final Table leases;
    private final Map<FunctionKind, SnapshotFunction> functions = new LinkedHashMap<>();
    private final FunctionUrl url;
    private final ClusterAlarms alarms;
    private final ReplicaService replica;

    public TidemarkCluster(Construct scope, String id, ClusterProps props) {
        super(scope, id);
        this.props = props;
        bucket = Bucket.Builder.create(this, "Snapshots")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .versioned(true)
                .lifecycleRules(List.of(LifecycleRule.builder().id("noncurrent-and-incomplete")
                        .noncurrentVersionExpiration(Duration.days(NONCURRENT_VERSION_DAYS))
                        .abortIncompleteMultipartUploadAfter(Duration.days(INCOMPLETE_UPLOAD_DAYS)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        LintSuppressions.checkov(bucket, "CKV_AWS_18", "no access logs bucket: objects are immutable and versioned,"
                + " and every write goes through the lease; turn on CloudTrail S3 data events for an audit trail");
        leases = Table.Builder.create(this, "Leases")
                .partitionKey(Attribute.builder().name("name").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute("ttl")
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        LintSuppressions.checkov(leases, "CKV_AWS_119", "the table holds lease holders, tokens and expiry times only;"
                + " DynamoDB's default encryption at rest is enough and a customer key would add a KMS call per lease change");
        ClusterNetwork network = props.network() == null ? null
                : new ClusterNetwork(this, "Network", props.name(), props.network());
        ClusterNetwork functionsNetwork = network != null && props.network().functionsInVpc() ? network : null;

        Map<String, String> env = environment();
        SnapshotFunction build = function(FunctionKind.BUILD, "Build", Handlers.BUILD, 1, withBuilderJvm(env),
                functionsNetwork);
        Map<String, String> invokesBuild = new LinkedHashMap<>(env);
        invokesBuild.put("TIDEMARK_BUILD_FUNCTION", build.live().getFunctionArn());
        function(FunctionKind.MONITOR, "Monitor", Handlers.MONITOR, null, invokesBuild, functionsNetwork);
        function(FunctionKind.VERIFY, "Verify", Handlers.VERIFY, null, withBuilderJvm(env), functionsNetwork);
        SnapshotFunction trigger = function(FunctionKind.TRIGGER, "Trigger", Handlers.TRIGGER, null, invokesBuild,
                functionsNetwork);
        new Grants(props, bucket, leases, build.live()).apply(functions);
        url = trigger.live().addFunctionUrl(FunctionUrlOptions.builder().authType(FunctionUrlAuthType.AWS_IAM).build());

        schedule("BuildSchedule", "scheduled build", Schedule.expression(props.buildSchedule()), build);
        schedule("MonitorSchedule", "monitor", Schedule.rate(Duration.minutes(props.monitorRateMinutes())),
                functions.get(FunctionKind.MONITOR));
        schedule("VerifySchedule", "restore test of HEAD", Schedule.expression(props.verifySchedule()),
                functions.get(FunctionKind.VERIFY));
        alarms = new ClusterAlarms(this, "Alarms", props, build.live());
        new TidemarkDashboard(this, "Dashboard", props);
        replica = network == null ? null : new ReplicaService(this, "Replica", props, network, environment(), bucket, leases);

        output("Bucket", bucket.getBucketName());
        output("LeaseTable", leases.getTableName());
        output("TriggerUrl", url.getUrl());
        output("AlertsTopic", alarms.alerts.getTopicArn());
    }

    /** The functions' contract (docs/functions.md); the replica gets the same. */
    Map<String, String> environment() {
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
        env.put("TIDEMARK_PREFIX", props.prefix());
        env.put("TIDEMARK_LEASE_TABLE", leases.getTableName());
        env.put("TIDEMARK_EVENT_BUS", props.eventBus());
        env.put("TIDEMARK_THRESHOLD", Long.toString(props.threshold()));
        env.put("TIDEMARK_EMERGENCY", Long.toString(props.emergency()));
        env.put("TIDEMARK_HEADROOM_RATIO", Double.toString(props.headroomRatio()));
        env.put("POWERTOOLS_SERVICE_NAME", "tidemark");
        env.put("POWERTOOLS_METRICS_NAMESPACE", TidemarkMetrics.NAMESPACE);
        return env;
    }

    /**
     * Build's and Verify's JAVA_TOOL_OPTIONS: core's {@code BuilderJvm} (the app does not depend on
     * core; a test keeps the two equal). They hash and rebuild whole databases, so they run with full
     * tiered compilation, not Lambda's C1-only default, which hashes about ten times slower. Monitor
     * and Trigger answer in milliseconds and keep Lambda's default, made for short cold starts.
     */
    static final String BUILDER_JVM = "-XX:+TieredCompilation -XX:TieredStopAtLevel=4 -XX:+UseSerialGC -Xmn64m";

    private static Map<String, String> withBuilderJvm(Map<String, String> env) {
        Map<String, String> heavy = new LinkedHashMap<>(env);
        heavy.put("JAVA_TOOL_OPTIONS", BUILDER_JVM);
        return heavy;
    }

    private SnapshotFunction function(FunctionKind kind, String id, String handler, Integer reserved,
                                      Map<String, String> env, ClusterNetwork network) {
        SnapshotFunction f = new SnapshotFunction(this, id, props.name(), handler, props.functionsJar(), props.size(kind),
                reserved, env, props.logRetentionDays(), network);
        functions.put(kind, f);
        return f;
    }

    private void schedule(String id, String what, Schedule schedule, SnapshotFunction target) {
        Rule.Builder.create(this, id).description("Tidemark " + props.name() + ": " + what).schedule(schedule)
                .targets(List.of(new LambdaFunction(target.live()))).build();
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).description("Tidemark " + props.name() + " " + id).build();
    }

    static String eventBusArn(Construct scope, String bus) {
        return Stack.of(scope).formatArn(ArnComponents.builder().service("events").resource("event-bus")
                .resourceName(bus).build());
    }

    public ClusterProps props() {
        return props;
    }

    public Bucket bucket() {
        return bucket;
    }

    public Table leases() {
        return leases;
    }

    public SnapshotFunction function(FunctionKind kind) {
        return functions.get(kind);
    }

    public FunctionUrl url() {
        return url;
    }

    public Topic alerts() {
        return alarms.alerts;
    }

    /** Null when the cluster has no network. */
    public ReplicaService replica() {
        return replica;
    }
}
