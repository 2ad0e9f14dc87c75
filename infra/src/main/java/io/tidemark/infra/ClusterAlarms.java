package io.tidemark.infra;

import static io.tidemark.infra.TidemarkMetrics.BUILD_FAILED;
import static io.tidemark.infra.TidemarkMetrics.GAP_DETECTED;
import static io.tidemark.infra.TidemarkMetrics.PENDING_CHANGES;
import static io.tidemark.infra.TidemarkMetrics.PENDING_RATIO;
import static io.tidemark.infra.TidemarkMetrics.SNAPSHOT_AGE_SECONDS;
import static io.tidemark.infra.TidemarkMetrics.VERIFY_FAILED;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The alarms of one cluster. Three trigger alarms start Build through an EventBridge rule on their
 * change to ALARM; the Build handler maps the name's suffix ({@link #THRESHOLD}, {@link #EMERGENCY},
 * {@link #HEADROOM}) to the trigger, so the names are a contract. The alert alarms notify the
 * operators' SNS topic (emergency does both).
 */
final class ClusterAlarms extends Construct {
    static final String THRESHOLD = "pending-threshold";
    static final String EMERGENCY = "pending-emergency";
    static final String HEADROOM = "pending-headroom";
    static final String ALERT = "pending-alert";
    static final String SNAPSHOT_AGE = "snapshot-age";
    static final String BUILD_FAILURE = "build-failed";
    static final String VERIFY_FAILURE = "verify-failed";
    static final String GAP = "gap";
    static final List<String> TRIGGERS = List.of(THRESHOLD, EMERGENCY, HEADROOM);

    private final ClusterProps p;
    private final Duration period;
    final Topic alerts;

    ClusterAlarms(Construct scope, String id, ClusterProps p, IFunction build) {
        super(scope, id);
        this.p = p;
        this.period = Duration.minutes(p.monitorRateMinutes());
        alerts = Topic.Builder.create(this, "Alerts").topicName("tidemark-" + p.name() + "-alerts")
                .displayName("Tidemark " + p.name() + " alerts").build();
        LintSuppressions.checkov(alerts, "CKV_AWS_26", "CloudWatch alarm actions cannot publish to a topic encrypted"
                + " with the AWS managed SNS key, and a message holds only an alarm's name, state and reason");
        if (p.alertEmail() != null) {
            alerts.addSubscription(new EmailSubscription(p.alertEmail()));
        }
        var ge = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
        var gt = ComparisonOperator.GREATER_THAN_THRESHOLD;
        alarm(THRESHOLD, PENDING_CHANGES, "Maximum", ge, p.threshold(), 1, false, "starts Build (trigger threshold)");
        alarm(EMERGENCY, PENDING_CHANGES, "Maximum", ge, p.emergency(), 1, true, "starts Build (trigger emergency)");
        alarm(HEADROOM, PENDING_RATIO, "Maximum", ge, p.headroomRatio(), 1, false, "starts Build (trigger headroom)");
        alarm(ALERT, PENDING_CHANGES, "Maximum", gt, p.alertPending(), 1, true, "builds are not keeping up");
        // Missing data breaches: Monitor emits no age while it fails or before the first snapshot, and
        // both deserve a page. Three periods, so one late run does not page.
        alarm(SNAPSHOT_AGE, SNAPSHOT_AGE_SECONDS, "Maximum", gt, p.maxSnapshotAgeHours() * 3600.0, 3, true,
                "no new snapshot for " + p.maxSnapshotAgeHours() + " h, or Monitor is not reporting");
        alarm(BUILD_FAILURE, BUILD_FAILED, "Sum", ge, 1, 1, true, "a build failed; HEAD is unchanged");
        alarm(VERIFY_FAILURE, VERIFY_FAILED, "Sum", ge, 1, 1, true, "HEAD failed its restore test");
        alarm(GAP, GAP_DETECTED, "Maximum", ge, 1, 1, true, "changes after HEAD fell off a stream");

        List<String> names = new ArrayList<>();
        TRIGGERS.forEach(t -> names.add(name(p.name(), t)));
        Rule.Builder.create(this, "TriggerAlarmsToBuild")
                .description("Tidemark " + p.name() + ": trigger alarms going to ALARM start Build")
                .eventPattern(EventPattern.builder().source(List.of("aws.cloudwatch"))
                        .detailType(List.of("CloudWatch Alarm State Change"))
                        .detail(Map.of("alarmName", names, "state", Map.of("value", List.of("ALARM")))).build())
                .targets(List.of(new LambdaFunction(build))).build();
    }

    static String name(String cluster, String what) {
        return cluster + "-" + what;
    }

    private void alarm(String what, String metric, String statistic, ComparisonOperator op, double threshold,
                       int periods, boolean notify, String meaning) {
        Alarm a = Alarm.Builder.create(this, what)
                .alarmName(name(p.name(), what))
                .alarmDescription("Tidemark " + p.name() + ": " + meaning + ". Runbook: docs/deploy.md#" + what)
                .metric(TidemarkMetrics.metric(p.name(), metric, statistic, period))
                .comparisonOperator(op)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .treatMissingData(what.equals(SNAPSHOT_AGE) ? TreatMissingData.BREACHING : TreatMissingData.NOT_BREACHING)
                .build();
        if (notify) {
            a.addAlarmAction(new SnsAction(alerts));
            a.addOkAction(new SnsAction(alerts));
        }
    }
}
