package io.tidemark.infra;

import static io.tidemark.infra.TidemarkMetrics.BUILD_FAILED;
import static io.tidemark.infra.TidemarkMetrics.BUILD_MILLIS;
import static io.tidemark.infra.TidemarkMetrics.BUILD_SUCCEEDED;
import static io.tidemark.infra.TidemarkMetrics.GAP_DETECTED;
import static io.tidemark.infra.TidemarkMetrics.PENDING_CHANGES;
import static io.tidemark.infra.TidemarkMetrics.PENDING_RATIO;
import static io.tidemark.infra.TidemarkMetrics.SNAPSHOT_AGE_SECONDS;
import static io.tidemark.infra.TidemarkMetrics.VERIFY_FAILED;
import static io.tidemark.infra.TidemarkMetrics.VERIFY_SUCCEEDED;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.constructs.Construct;

/**
 * Dashboard {@code tidemark-<cluster>}: pending changes against the trigger and alert levels, the
 * headroom ratio, snapshot age, build results and durations, verify results.
 */
final class TidemarkDashboard extends Construct {
    private final ClusterProps p;
    private final Duration period;

    TidemarkDashboard(Construct scope, String id, ClusterProps p) {
        super(scope, id);
        this.p = p;
        this.period = Duration.minutes(p.monitorRateMinutes());
        Duration day = Duration.days(1);
        List<IWidget> pending = List.of(
                graph("Pending changes", 12, List.of(m(PENDING_CHANGES, "Maximum", period)), List.of(
                        line(p.threshold(), "threshold"), line(p.alertPending(), "alert"),
                        line(p.emergency(), "emergency"))),
                graph("Pending ratio (of max_entries)", 12, List.of(m(PENDING_RATIO, "Maximum", period)),
                        List.of(line(p.headroomRatio(), "headroom"))));
        List<IWidget> builds = List.of(
                graph("Snapshot age (s)", 8, List.of(m(SNAPSHOT_AGE_SECONDS, "Maximum", period)),
                        List.of(line(p.maxSnapshotAgeHours() * 3600.0, "alert"))),
                graph("Build results", 8, List.of(m(BUILD_SUCCEEDED, "Sum", day), m(BUILD_FAILED, "Sum", day),
                        m(GAP_DETECTED, "Maximum", day)), List.of()),
                graph("Build duration (ms)", 8, List.of(m(BUILD_MILLIS, "Maximum", period),
                        m(BUILD_MILLIS, "Average", period)), List.of()));
        List<IWidget> verify = List.of(
                graph("Verify results", 24, List.of(m(VERIFY_SUCCEEDED, "Sum", day), m(VERIFY_FAILED, "Sum", day)),
                        List.of()));
        Dashboard.Builder.create(this, "Dashboard").dashboardName("tidemark-" + p.name())
                .widgets(List.of(pending, builds, verify)).build();
    }

    private Metric m(String name, String statistic, Duration period) {
        return TidemarkMetrics.metric(p.name(), name, statistic, period);
    }

    private static HorizontalAnnotation line(double value, String label) {
        return HorizontalAnnotation.builder().value(value).label(label).build();
    }

    private GraphWidget graph(String title, int width, List<? extends IMetric> metrics,
                                     List<HorizontalAnnotation> lines) {
        // The stack's region, named: the same as the default, and a plain string when the stack has one.
        return GraphWidget.Builder.create().title(title).region(Stack.of(this).getRegion()).width(width).height(6)
                .left(List.copyOf(metrics)).leftAnnotations(lines).build();
    }
}
