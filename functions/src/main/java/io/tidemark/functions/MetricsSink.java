package io.tidemark.functions;

import java.util.Map;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** Emits CloudWatch metrics in Embedded Metric Format through Powertools: namespace Tidemark, dimension Cluster. */
interface MetricsSink {
    String NAMESPACE = "Tidemark";

    /** One EMF document with these metrics; units: *Seconds in seconds, *Ratio none, the rest counts. */
    void emit(String cluster, Map<String, Double> metrics);

    MetricsSink POWERTOOLS = (cluster, metrics) -> MetricsFactory.getMetricsInstance().flushMetrics(m -> {
        m.setNamespace(NAMESPACE);
        m.addDimension("Cluster", cluster);
        metrics.forEach((name, value) -> m.addMetric(name, value, name.endsWith("Seconds") ? MetricUnit.SECONDS
                : name.endsWith("Ratio") ? MetricUnit.NONE : name.endsWith("Millis") ? MetricUnit.MILLISECONDS
                : MetricUnit.COUNT));
    });
}
