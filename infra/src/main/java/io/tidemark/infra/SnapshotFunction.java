package io.tidemark.infra;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
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
 * One of Tidemark's functions: Java 21, SnapStart on published versions, an alias {@code live} on
 * the current version (what schedules, rules and the URL point at), its own log group with
 * retention. Permissions are added statement by statement, never by wildcard.
 */
public final class SnapshotFunction extends Construct {
    private final Function function;
    private final Alias live;

    public SnapshotFunction(Construct scope, String id, String handler, String jar, int memoryMb, Duration timeout,
                            Integer reservedConcurrency, Map<String, String> environment, int logRetentionDays) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "Logs").retention(retention(logRetentionDays))
                .removalPolicy(RemovalPolicy.DESTROY).build();
        Function.Builder b = Function.Builder.create(this, "Function")
                .runtime(Runtime.JAVA_21)
                .handler(handler)
                .code(Code.fromAsset(jar))
                .memorySize(memoryMb)
                .timeout(timeout)
                .environment(environment)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logs)
                .description("Tidemark " + id);
        if (reservedConcurrency != null) {
            b.reservedConcurrentExecutions(reservedConcurrency);
        }
        function = b.build();
        live = Alias.Builder.create(this, "Live").aliasName("live").version(function.getCurrentVersion()).build();
    }

    public Function function() {
        return function;
    }

    public Alias live() {
        return live;
    }

    public void allow(PolicyStatement statement) {
        function.addToRolePolicy(statement);
    }

    static RetentionDays retention(int days) {
        for (RetentionDays r : RetentionDays.values()) {
            if (matches(r, days)) {
                return r;
            }
        }
        throw new IllegalArgumentException("logRetentionDays " + days + " is not one of 1, 3, 5, 7, 14, 30, 60, 90, 180, 365");
    }

    private static boolean matches(RetentionDays r, int days) {
        return switch (days) {
            case 1 -> r == RetentionDays.ONE_DAY;
            case 3 -> r == RetentionDays.THREE_DAYS;
            case 5 -> r == RetentionDays.FIVE_DAYS;
            case 7 -> r == RetentionDays.ONE_WEEK;
            case 14 -> r == RetentionDays.TWO_WEEKS;
            case 30 -> r == RetentionDays.ONE_MONTH;
            case 60 -> r == RetentionDays.TWO_MONTHS;
            case 90 -> r == RetentionDays.THREE_MONTHS;
            case 180 -> r == RetentionDays.SIX_MONTHS;
            case 365 -> r == RetentionDays.ONE_YEAR;
            default -> false;
        };
    }
}
