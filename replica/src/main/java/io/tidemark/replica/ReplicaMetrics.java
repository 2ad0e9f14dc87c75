package io.tidemark.replica;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;

/**
 * The replica's {@code /metrics}, on the Prometheus Java client: HELP and TYPE for every family,
 * each family's samples together, units in the names, JVM and process metrics, and a build-info
 * metric. Values are read at scrape time from {@link Readings}.
 */
public final class ReplicaMetrics {
    /** What the metrics read at each scrape. */
    public interface Readings {
        Replica.State state();

        Map<String, Long> positions();

        /** Changes the stream holds past {@code position}; null when NATS cannot say now. */
        Long lag(String stream, long position);

        long applied();

        boolean natsConnected();

        long natsDisconnects();

        /** Null before the first commit. */
        Instant lastAppliedAt();

        /** NaN when nothing was restored. */
        double restoreSeconds();

        /** A running replica's readings. */
        static Readings of(Replica replica, NatsLink nats) {
            return new Readings() {
                @Override public Replica.State state() { return replica.state(); }
                @Override public Map<String, Long> positions() { return replica.positions(); }
                @Override public Long lag(String stream, long position) {
                    try {
                        return replica.source().state(stream).pendingAfter(position);
                    } catch (RuntimeException unavailable) {
                        return null; // NATS unreachable: lag unknown, position still reported
                    }
                }
                @Override public long applied() { return replica.appliedTotal(); }
                @Override public boolean natsConnected() { return nats.connected(); }
                @Override public long natsDisconnects() { return nats.disconnects(); }
                @Override public Instant lastAppliedAt() { return replica.lastAppliedAt(); }
                @Override public double restoreSeconds() { return replica.restoreSeconds(); }
            };
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public ReplicaMetrics(Readings r, String version) {
        JvmMetrics.builder().register(registry);
        Info info = Info.builder().name("tidemark_build_info").help("The running Tidemark build")
                .labelNames("version").register(registry);
        info.setLabelValues(version);
        CounterWithCallback.builder().name("tidemark_replica_changes_applied_total")
                .help("Changes applied since the replica opened its database")
                .callback(c -> c.call(r.applied())).register(registry);
        gauge("tidemark_replica_following", "1 while the replica follows the streams live, else 0",
                () -> r.state() == Replica.State.FOLLOWING ? 1 : 0);
        gauge("tidemark_replica_nats_connected", "1 while the NATS connection is up, else 0",
                () -> r.natsConnected() ? 1 : 0);
        CounterWithCallback.builder().name("tidemark_replica_nats_disconnects_total")
                .help("NATS disconnects since the replica started").callback(c -> c.call(r.natsDisconnects()))
                .register(registry);
        gauge("tidemark_replica_last_applied_timestamp_seconds",
                "Unix time of the last commit of applied changes (NaN before the first)",
                () -> r.lastAppliedAt() == null ? Double.NaN : r.lastAppliedAt().toEpochMilli() / 1000.0);
        gauge("tidemark_replica_restore_duration_seconds", "How long the last restore of HEAD took (NaN: none)",
                r::restoreSeconds);
        GaugeWithCallback.builder().name("tidemark_replica_position").help("Last stream sequence applied")
                .labelNames("stream").callback(c -> r.positions().forEach((s, p) -> c.call(p, s))).register(registry);
        GaugeWithCallback.builder().name("tidemark_replica_lag_changes")
                .help("Changes the stream holds past the replica's position").labelNames("stream")
                .callback(c -> r.positions().forEach((s, p) -> {
                    Long lag = r.lag(s, p);
                    if (lag != null) {
                        c.call(lag, s);
                    }
                })).register(registry);
    }

    private void gauge(String name, String help, java.util.function.DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(c -> c.call(value.getAsDouble())).register(registry);
    }

    public String contentType() {
        return writer.getContentType();
    }

    /** Writes every family in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
