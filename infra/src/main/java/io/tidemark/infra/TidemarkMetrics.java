package io.tidemark.infra;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * The EMF metrics the functions emit (namespace {@code Tidemark}, dimension {@code Cluster}); alarms
 * and the dashboard read them through {@link #metric}.
 */
final class TidemarkMetrics {
    static final String NAMESPACE = "Tidemark";
    static final String DIMENSION = "Cluster";
    static final String PENDING_CHANGES = "PendingChanges";
    static final String PENDING_RATIO = "PendingRatio";
    static final String SNAPSHOT_AGE_SECONDS = "SnapshotAgeSeconds";
    static final String BUILD_SUCCEEDED = "BuildSucceeded";
    static final String BUILD_FAILED = "BuildFailed";
    static final String BUILD_MILLIS = "BuildMillis";
    static final String GAP_DETECTED = "GapDetected";
    static final String VERIFY_SUCCEEDED = "VerifySucceeded";
    static final String VERIFY_FAILED = "VerifyFailed";

    private TidemarkMetrics() {}

    static Metric metric(String cluster, String name, String statistic, Duration period) {
        return Metric.Builder.create().namespace(NAMESPACE).metricName(name)
                .dimensionsMap(Map.of(DIMENSION, cluster)).statistic(statistic).period(period).build();
    }
}
