package io.tidemark.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.event.TidemarkEvent;
import io.tidemark.core.restore.Verifier;
import io.tidemark.core.store.SnapshotStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verify: a scheduled restore test of HEAD (both sha256s, {@code PRAGMA integrity_check}, row counts
 * against the manifest); emits VerifySucceeded or VerifyFailed and RestoreVerified or
 * RestoreVerificationFailed.
 */
public final class VerifyHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyHandler.class);

    private final String cluster;
    private final Supplier<SnapshotStore> store;
    private final Supplier<EventPublisher> events;
    private final MetricsSink metrics;
    private final Path workDir;

    public VerifyHandler() {
        this(Wiring.fromEnvironment());
    }

    VerifyHandler(Wiring w) {
        this(w.config.cluster().cluster(), w::store, w::events, MetricsSink.POWERTOOLS, Wiring.SCRATCH);
    }

    VerifyHandler(String cluster, Supplier<SnapshotStore> store, Supplier<EventPublisher> events, MetricsSink metrics,
                  Path workDir) {
        this.cluster = cluster;
        this.store = store;
        this.events = events;
        this.metrics = metrics;
        this.workDir = workDir;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Logs.around(context, () -> handle(event, context));
    }

    private Map<String, Object> handle(Map<String, Object> event, Context context) {
        Verifier.Verification v = Verifier.verifyHead(store.get(), workDir);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("snapshotId", v.snapshotId());
        detail.put("ok", v.ok());
        detail.put("problem", v.problem());
        detail.put("tables", v.tables());
        detail.put("millis", v.millis());
        metrics.emit(cluster, Map.of("VerifySucceeded", v.ok() ? 1.0 : 0.0, "VerifyFailed", v.ok() ? 0.0 : 1.0));
        events.get().publish(new TidemarkEvent(v.ok() ? TidemarkEvent.Type.RestoreVerified
                : TidemarkEvent.Type.RestoreVerificationFailed, cluster, detail));
        if (v.ok()) {
            LOG.info("cluster {}: snapshot {} verified in {} ms", cluster, v.snapshotId(), v.millis());
        } else {
            LOG.error("cluster {}: snapshot {} FAILED verification: {}", cluster, v.snapshotId(), v.problem());
        }
        Map<String, Object> out = new LinkedHashMap<>(detail);
        out.put("cluster", cluster);
        return out;
    }
}
