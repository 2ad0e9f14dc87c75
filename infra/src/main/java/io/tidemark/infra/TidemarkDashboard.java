package io.tidemark.infra;

import java.util.List;
import java.util.function.BiFunction;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.constructs.Construct;

/** Pending changes against the thresholds, snapshot age, build durations and results, verify results. */
final class TidemarkDashboard extends Construct {
    TidemarkDashboard(Construct scope, String id, ClusterProps p, BiFunction<String, String, Metric> metric) {
        super(scope, id);
        Dashboard.Builder.create(this, "Dashboard").dashboardName("tidemark-" + p.name())
                .widgets(List.of(
                        List.of(GraphWidget.Builder.create().title("Pending changes").width(12)
                                        .left(List.<IMetric>of(metric.apply("PendingChanges", "Maximum")))
                                        .leftAnnotations(List.of(
                                                HorizontalAnnotation.builder().value(p.threshold()).label("threshold").build(),
                                                HorizontalAnnotation.builder().value(p.alertPending()).label("alert").build(),
                                                HorizontalAnnotation.builder().value(p.emergency()).label("emergency").build()))
                                        .build(),
                                GraphWidget.Builder.create().title("Snapshot age (s)").width(12)
                                        .left(List.<IMetric>of(metric.apply("SnapshotAgeSeconds", "Maximum")))
                                        .leftAnnotations(List.of(HorizontalAnnotation.builder()
                                                .value(p.maxSnapshotAgeHours() * 3600).label("alert").build()))
                                        .build()),
                        List.of(GraphWidget.Builder.create().title("Build results").width(8)
                                        .left(List.<IMetric>of(metric.apply("BuildSucceeded", "Sum"),
                                                metric.apply("BuildFailed", "Sum"), metric.apply("GapDetected", "Maximum")))
                                        .build(),
                                GraphWidget.Builder.create().title("Build duration (ms)").width(8)
                                        .left(List.<IMetric>of(metric.apply("BuildMillis", "Maximum")))
                                        .build(),
                                GraphWidget.Builder.create().title("Verify results").width(8)
                                        .left(List.<IMetric>of(metric.apply("VerifySucceeded", "Sum"),
                                                metric.apply("VerifyFailed", "Sum")))
                                        .build())))
                .build();
    }
}
