package io.tidemark.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.SnapshotBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Build: runs the core builder for a schedule, a trigger alarm or a manual request, and returns and
 * logs the result (created, skipped, gap, lease-held, failed, or rejected for a malformed event).
 */
public final class BuildHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(BuildHandler.class);

    private final Supplier<SnapshotBuilder> builder;
    private final String cluster;
    private final MetricsSink metrics;

    /** Wires from the environment; clients are created on the first invocation. */
    public BuildHandler() {
        this(Wiring.fromEnvironment().warmingUpTheBuilder());
    }

    BuildHandler(Wiring w) {
        this(() -> new SnapshotBuilder(w.config.cluster(), w.source(), w.store(), w.leases(), w.events(),
                BuildOptions.builder(Wiring.SCRATCH)
                        .holder("lambda/" + System.getenv().getOrDefault("AWS_LAMBDA_LOG_STREAM_NAME", "local"))
                        .build()), w.config.cluster().cluster(), MetricsSink.POWERTOOLS);
    }

    /** For tests and other hosts: the builder to run and where metrics go. */
    BuildHandler(Supplier<SnapshotBuilder> builder, String cluster, MetricsSink metrics) {
        this.builder = builder;
        this.cluster = cluster;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Logs.around(context, () -> handle(event, context));
    }

    private Map<String, Object> handle(Map<String, Object> event, Context context) {
        BuildRequest request;
        try {
            request = BuildRequest.parse(event);
        } catch (IllegalArgumentException e) {
            LOG.warn("cluster {}: rejected event: {}", cluster, e.getMessage());
            return Map.of("outcome", "rejected", "cluster", cluster, "message", e.getMessage());
        }
        if (request.ignored() != null) {
            LOG.info("cluster {}: no build: {}", cluster, request.ignored());
            return Map.of("outcome", "skipped", "cluster", cluster, "message", request.ignored());
        }
        BuildResult r = builder.get().build(request.trigger(), request.force());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", cluster);
        out.putAll(r.detail());
        out.put("steps", r.stepMillis());
        out.put("requestId", request.requestId());
        LOG.info("cluster {}: build {} ({}): {}", cluster, r.outcome().wire(), r.trigger().wire(), out);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("BuildSucceeded", r.outcome() == BuildResult.Outcome.CREATED || r.outcome() == BuildResult.Outcome.SKIPPED
                ? 1.0 : 0.0);
        m.put("BuildFailed", r.outcome() == BuildResult.Outcome.FAILED ? 1.0 : 0.0);
        m.put("GapDetected", r.outcome() == BuildResult.Outcome.GAP ? 1.0 : 0.0);
        m.put("BuildMillis", (double) r.millis());
        metrics.emit(cluster, m);
        return out;
    }
}
