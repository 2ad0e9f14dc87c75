package io.tidemark.replica;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The replica's HTTP face: {@code GET /health/live} (200 unless the replica failed or stopped),
 * {@code GET /health/ready} and {@code /health} (200 while catching up or following with NATS
 * connected, else 503), {@code GET /metrics} ({@link ReplicaMetrics}) and {@code GET /status} (JSON).
 * {@code POST /snapshot} is not here: it is on the {@link AdminServer}.
 */
public final class HealthServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Replica replica;
    private final BooleanSupplier natsConnected;
    private final ReplicaMetrics metrics;

    public HealthServer(String bind, Replica replica, BooleanSupplier natsConnected, ReplicaMetrics metrics) {
        this.replica = replica;
        this.natsConnected = natsConnected;
        this.metrics = metrics;
        server = HttpListener.listen(bind, "health", "--health HOST:PORT or [health_check] bind");
        server.createContext("/health/live", this::live);
        server.createContext("/health/ready", this::ready);
        server.createContext("/health", this::ready);
        server.createContext("/metrics", this::metrics);
        server.createContext("/status", this::status);
        server.createContext("/snapshot", x -> send(x, 404, "application/json", JSON.writeValueAsBytes(Map.of("error",
                "POST /snapshot is on the admin listener (--admin, default " + TidemarkConfig.DEFAULT_ADMIN_BIND + ")"))));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void live(HttpExchange x) throws IOException {
        Replica.State s = replica.state();
        boolean ok = s != Replica.State.FAILED && s != Replica.State.STOPPED;
        send(x, ok ? 200 : 503, "application/json", JSON.writeValueAsBytes(Map.of("state", s.name())));
    }

    private void ready(HttpExchange x) throws IOException {
        Replica.State s = replica.state();
        boolean nats = natsConnected.getAsBoolean();
        boolean ok = nats && (s == Replica.State.FOLLOWING || s == Replica.State.CATCHING_UP);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", s.name());
        body.put("nats", nats ? "connected" : "disconnected");
        send(x, ok ? 200 : 503, "application/json", JSON.writeValueAsBytes(body));
    }

    private void metrics(HttpExchange x) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        metrics.write(out);
        send(x, 200, metrics.contentType(), out.toByteArray());
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

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        HttpListener.send(x, status, type, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
