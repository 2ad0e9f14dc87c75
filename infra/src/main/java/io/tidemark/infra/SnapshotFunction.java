package io.tidemark.infra;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One of Tidemark's functions: Java 21, SnapStart on published versions (unless its size asks for more
 * {@code /tmp} than SnapStart allows: {@link FunctionSize#snapStart()}), an alias {@code live} on the
 * current version (what schedules, rules, the URL and the other functions point at: SnapStart only
 * applies to published versions), its own log group with retention. Permissions are added statement
 * by statement with {@link #allow}; nothing is granted by default beyond writing its own logs.
 */
public final class SnapshotFunction extends Construct {
    public static final String ALIAS = "live";

    private final Function function;
    private final Alias live;

    /**
     * @param reservedConcurrency null for none; Build uses 1 (one builder at a time per cluster)
     * @param network             null: outside any VPC
     */
    SnapshotFunction(Construct scope, String id, String cluster, String handler, String jar, FunctionSize size,
                     Integer reservedConcurrency, Map<String, String> environment, int logRetentionDays,
                     ClusterNetwork network) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "Logs").logGroupName("/aws/lambda/tidemark-" + cluster + "-" + id)
                .retention(retention(logRetentionDays)).removalPolicy(RemovalPolicy.DESTROY).build();
        Function.Builder b = Function.Builder.create(this, "Function")
                .functionName("tidemark-" + cluster + "-" + id)
                .description("Tidemark " + cluster + ": " + id)
                .runtime(Runtime.JAVA_21)
                .handler(handler)
                .code(Code.fromAsset(jar))
                .memorySize(size.memoryMb())
                .timeout(Duration.seconds(size.timeoutSeconds()))
                .ephemeralStorageSize(Size.mebibytes(size.ephemeralStorageMb()))
                .environment(new TreeMap<>(environment))
                .logGroup(logs);
        if (size.snapStart()) {
            b.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        }
        if (reservedConcurrency != null) {
            b.reservedConcurrentExecutions(reservedConcurrency);
        }
        if (network != null) {
            b.vpc(network.vpc).vpcSubnets(network.subnets).securityGroups(network.securityGroups);
        }
        function = b.build();
        LintSuppressions.cfnLint(function, "W3005", "the CDK adds DependsOn on the role beside the GetAtt of it;"
                + " redundant, harmless, and the CDK's to emit");
        LintSuppressions.checkov(function, "CKV_AWS_116", "no DLQ: a failed build is reported in its result,"
                + " its metrics and the -build-failed alarm, and the next schedule or Monitor run retries with fresh"
                + " state; replaying a stale queued request would add nothing");
        LintSuppressions.checkov(function, "CKV_AWS_173", "the environment holds no secret (NATS credentials come"
                + " from Secrets Manager by ARN) and Lambda encrypts it at rest with its managed key");
        if (reservedConcurrency == null) {
            LintSuppressions.checkov(function, "CKV_AWS_115", "only Build must run alone (reserved 1); the others"
                    + " only read, and reserving for them would take concurrency from the account's pool");
        }
        if (network == null) {
            LintSuppressions.checkov(function, "CKV_AWS_117", "a cluster without a network (or functionsInVpc false)"
                    + " reaches NATS from outside any VPC, over tls:// with credentials; that is the prop's purpose");
        }
        LintSuppressions.checkov(logs, "CKV_AWS_158", "log lines carry ids (cluster, stream, seq, snapshot id), never"
                + " row data or credentials; CloudWatch encrypts them at rest with its own key");
        live = Alias.Builder.create(this, "Live").aliasName(ALIAS).version(function.getCurrentVersion()).build();
        // The CDK warns that SnapStart needs a published version: the alias above is on one.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "every caller invokes the alias live, on the published current version");
    }

    public Function function() {
        return function;
    }

    /** The alias {@code live}: the only thing anything else should invoke. */
    public Alias live() {
        return live;
    }

    void allow(PolicyStatement statement) {
        function.addToRolePolicy(statement);
    }

    private static final Map<Integer, RetentionDays> RETENTION = Map.ofEntries(
            Map.entry(1, RetentionDays.ONE_DAY), Map.entry(3, RetentionDays.THREE_DAYS),
            Map.entry(5, RetentionDays.FIVE_DAYS), Map.entry(7, RetentionDays.ONE_WEEK),
            Map.entry(14, RetentionDays.TWO_WEEKS), Map.entry(30, RetentionDays.ONE_MONTH),
            Map.entry(60, RetentionDays.TWO_MONTHS), Map.entry(90, RetentionDays.THREE_MONTHS),
            Map.entry(120, RetentionDays.FOUR_MONTHS), Map.entry(150, RetentionDays.FIVE_MONTHS),
            Map.entry(180, RetentionDays.SIX_MONTHS), Map.entry(365, RetentionDays.ONE_YEAR),
            Map.entry(400, RetentionDays.THIRTEEN_MONTHS), Map.entry(545, RetentionDays.EIGHTEEN_MONTHS),
            Map.entry(731, RetentionDays.TWO_YEARS), Map.entry(1827, RetentionDays.FIVE_YEARS),
            Map.entry(3653, RetentionDays.TEN_YEARS));

    /** CloudWatch Logs takes only some numbers of days. */
    static RetentionDays retention(int days) {
        RetentionDays r = RETENTION.get(days);
        if (r == null) {
            throw new IllegalArgumentException("logRetentionDays " + days + " is not one CloudWatch Logs allows: "
                    + new java.util.TreeSet<>(RETENTION.keySet()));
        }
        return r;
    }
}
