package io.tidemark.cli;

import io.tidemark.core.restore.RecoveryPlan;
import io.tidemark.replica.AdminServer;
import io.tidemark.replica.HealthServer;
import io.tidemark.replica.NatsLink;
import io.tidemark.replica.Replica;
import io.tidemark.replica.ReplicaMetrics;
import io.tidemark.replica.TidemarkConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tidemark replica}: restore or resume, then replay live until SIGTERM. */
@Command(name = "replica", description = "Run a long-lived replica: restore when needed, then replay live")
final class ReplicaCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaCommand.class);

    @Mixin
    ClusterOptions options;

    @Option(names = "--health", description = "host:port for /health/live, /health/ready, /metrics, /status;"
            + " default 0.0.0.0:8080 ([health_check] bind)")
    String health;

    @Option(names = "--admin", description = "host:port for POST /snapshot, or off; default 127.0.0.1:8081"
            + " ([admin] bind); a non-loopback address needs --admin-token-file")
    String admin;

    @Option(names = "--admin-token-file", description = "file with the bearer token POST /snapshot requires"
            + " ([admin] token_file)")
    java.nio.file.Path adminTokenFile;

    @Override
    public Integer call() {
        TidemarkConfig config = options.resolve();
        String adminBind = admin != null ? TidemarkConfig.checkAdminBind(admin) : config.adminBind();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                stopped.await(); // let the replay commit and close before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "replica-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Wiring w = new Wiring(config)) {
            NatsLink link = NatsLink.watch(w.nats());
            try (Replica replica = new Replica(config, w.source(), w.store, w.leases, TerminalProgress.forConsole());
                 HealthServer http = new HealthServer(health != null ? health : config.healthBind(), replica,
                         link::connected, new ReplicaMetrics(ReplicaMetrics.Readings.of(replica, link),
                                 BuildVersion.version()));
                 // null (off) is skipped by try-with-resources
                 AdminServer adminHttp = TidemarkConfig.ADMIN_OFF.equals(adminBind) ? null : new AdminServer(adminBind,
                         adminTokenFile != null ? adminTokenFile : config.adminTokenFile(), replica)) {
                RecoveryPlan.Decision d = replica.recover();
                LOG.info("replica {} started ({}: {}); health on port {}, POST /snapshot {}", config.dbPath(),
                        d.reason(), d.detail(), http.port(), adminHttp == null ? "off" : "on port " + adminHttp.port());
                replica.follow(stop::get);
                LOG.info("replica {} stopped cleanly at {}", config.dbPath(), replica.positions());
                return ExitCodes.OK;
            }
        } finally {
            stopped.countDown();
        }
    }
}
