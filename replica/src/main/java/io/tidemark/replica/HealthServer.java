package io.tidemark.replica;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tidemark.core.build.SnapshotCommitter;
import io.tidemark.core.change.StreamState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The replica's HTTP face: {@code GET /health} (200 while following, else 503), {@code GET /metrics}
 * (Prometheus text), {@code GET /status} (JSON) and {@code POST /snapshot} (publish a full snapshot).
 */
public final class HealthServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Replica replica;

    public HealthServer(String bind, Replica replica) {
        this.replica = replica;
        int colon = bind.lastIndexOf(':');
        String host = bind.substring(0, colon);
        int port = Integer.parseInt(bind.substring(colon + 1));
        try {
            server = HttpServer.create(new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + bind + " for /health: " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "health-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", this::health);
        server.createContext("/metrics", this::metrics);
        server.createContext("/status", this::status);
        server.createContext("/snapshot", this::snapshot);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange x) throws IOException {
        Replica.State s = replica.state();
        boolean ok = s == Replica.State.FOLLOWING || s == Replica.State.CATCHING_UP;
        send(x, ok ? 200 : 503, "application/json", JSON.writeValueAsBytes(Map.of("state", s.name())));
    }

    private void metrics(HttpExchange x) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# TYPE tidemark_replica_applied_total counter\n")
                .append("tidemark_replica_applied_total ").append(replica.appliedTotal()).append('\n');
        sb.append("# TYPE tidemark_replica_following gauge\n")
                .append("tidemark_replica_following ").append(replica.state() == Replica.State.FOLLOWING ? 1 : 0)
                .append('\n');
        sb.append("# TYPE tidemark_replica_position gauge\n# TYPE tidemark_replica_lag gauge\n");
        for (Map.Entry<String, Long> e : replica.positions().entrySet()) {
            sb.append("tidemark_replica_position{stream=\"").append(e.getKey()).append("\"} ").append(e.getValue())
                    .append('\n');
            try {
                StreamState st = replica.source().state(e.getKey());
                sb.append("tidemark_replica_lag{stream=\"").append(e.getKey()).append("\"} ")
                        .append(st.pendingAfter(e.getValue())).append('\n');
            } catch (RuntimeException unavailable) {
                // NATS unreachable: lag unknown, position still reported
            }
        }
        send(x, 200, "text/plain; version=0.0.4", sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void status(HttpExchange x) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", replica.state().name());
        body.put("positions", replica.positions());
        body.put("appliedTotal", replica.appliedTotal());
        if (replica.lastDecision() != null) {
            body.put("recovery", replica.lastDecision().reason().name());
            body.put("recoveryDetail", replica.lastDecision().detail());
        }
        if (replica.lastError() != null) {
            body.put("lastError", replica.lastError());
        }
        send(x, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private void snapshot(HttpExchange x) throws IOException {
        if (!"POST".equals(x.getRequestMethod())) {
            send(x, 405, "application/json", JSON.writeValueAsBytes(Map.of("error", "use POST /snapshot")));
            return;
        }
        try {
            SnapshotCommitter.Committed c = replica.fullSnapshot();
            send(x, 200, "application/json", JSON.writeValueAsBytes(Map.of("snapshot", c.manifest().id(),
                    "positions", c.manifest().positions())));
        } catch (RuntimeException e) {
            send(x, 409, "application/json", JSON.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage()))));
        }
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
