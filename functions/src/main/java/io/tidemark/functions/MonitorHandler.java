package io.tidemark.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.trigger.TriggerPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitor: every few minutes, reads HEAD and each stream's first and last sequence and emits
 * PendingChanges, PendingRatio, SnapshotAgeSeconds and GapDetected. Alarms fire only on a change of
 * state, so when a trigger stays due for two runs in a row with HEAD unchanged, Monitor invokes
 * Build itself.
 */
public final class MonitorHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorHandler.class);
    static final int RUNS_BEFORE_RETRIGGER = 2;

    /** What Monitor needs; built lazily from the environment in Lambda. */
    record Deps(String cluster, List<String> streams, TriggerPolicy policy, Supplier<ChangeSource> source,
                Supplier<SnapshotStore> store, Supplier<BuildInvoker> invoker, MetricsSink metrics, Clock clock) {}

    private final Deps d;

    public MonitorHandler() {
        this(Wiring.fromEnvironment());
    }

    MonitorHandler(Wiring w) {
        this(new Deps(w.config.cluster().cluster(), w.config.cluster().streamNames(), w.config.triggers(), w::source,
                w::store, w::invoker, MetricsSink.POWERTOOLS, Clock.systemUTC()));
    }

    MonitorHandler(Deps deps) {
        this.d = deps;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Logs.around(context, () -> handle(event, context));
    }

    private Map<String, Object> handle(Map<String, Object> event, Context context) {
        SnapshotStore store = d.store().get();
        Catalog.VersionedHead head = Catalog.requireHead(store);
        Manifest m = Catalog.headManifest(store, head.head()).manifest();
        List<StreamState> states = new ArrayList<>();
        ChangeSource source = d.source().get();
        for (String s : d.streams()) {
            states.add(source.state(s));
        }
        TriggerPolicy.Pending pending = TriggerPolicy.pending(m, states);
        long age = Duration.between(m.createdAt(), d.clock().instant()).toSeconds();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("PendingChanges", (double) pending.changes());
        metrics.put("PendingRatio", pending.ratio());
        metrics.put("SnapshotAgeSeconds", (double) age);
        metrics.put("GapDetected", pending.gap() ? 1.0 : 0.0);
        d.metrics().emit(d.cluster(), metrics);

        Optional<Trigger> due = d.policy().due(pending);
        MonitorState.Stored stored = MonitorState.read(store);
        MonitorState before = stored.state();
        int runs = due.isEmpty() ? 0
                : head.head().snapshot().equals(before.headId()) && before.breachedRuns() > 0 ? before.breachedRuns() + 1 : 1;
        String invoked = null;
        if (runs >= RUNS_BEFORE_RETRIGGER) {
            invoked = "monitor-" + Ids.next();
            d.invoker().get().invokeAsync(due.get(), false, invoked);
            LOG.info("cluster {}: {} still due after {} runs with HEAD {}: invoked Build ({})", d.cluster(),
                    due.get().wire(), runs, head.head().snapshot(), invoked);
            runs = 0;
        }
        MonitorState.write(store, new MonitorState(head.head().snapshot(), runs, due.map(Trigger::wire).orElse(null)),
                stored.version());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", d.cluster());
        out.put("head", head.head().snapshot());
        out.put("pendingChanges", pending.changes());
        out.put("pendingRatio", pending.ratio());
        out.put("snapshotAgeSeconds", age);
        out.put("gap", pending.gap());
        out.put("due", due.map(Trigger::wire).orElse(null));
        out.put("buildInvoked", invoked);
        LOG.info("cluster {}: monitor {}", d.cluster(), out);
        return out;
    }
}
