package io.tidemark.replica;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tidemark.core.build.SnapshotCommitter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's admin listener: {@code POST /snapshot} publishes a full snapshot of the live database
 * and moves HEAD. It binds to the loopback interface by default; on any other address it requires a
 * bearer token read from a file, so a reachable port never moves HEAD for anyone who asks.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Replica replica;
    private final byte[] token;

    /** @param tokenFile null for no token (then {@code bind} must be a loopback address) */
    public AdminServer(String bind, Path tokenFile, Replica replica) {
        this.replica = replica;
        this.token = tokenFile == null ? null : readToken(tokenFile);
        if (token == null && !loopback(bind)) {
            throw new IllegalArgumentException("admin listener " + bind + " is not a loopback address: give it"
                    + " a bearer token file (--admin-token-file, [admin] token_file) or bind it to 127.0.0.1");
        }
        server = HttpListener.listen(bind, "admin", "--admin HOST:PORT or [admin] bind (\"off\" turns it off)");
        server.createContext("/snapshot", this::snapshot);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void snapshot(HttpExchange x) throws IOException {
        if (!"POST".equals(x.getRequestMethod())) {
            reply(x, 405, Map.of("error", "use POST /snapshot"));
            return;
        }
        if (token != null && !authorized(x.getRequestHeaders().getFirst("Authorization"))) {
            LOG.warn("admin: POST /snapshot from {} refused: missing or wrong bearer token", x.getRemoteAddress());
            reply(x, 401, Map.of("error", "POST /snapshot needs Authorization: Bearer <token from the token file>"));
            return;
        }
        try {
            SnapshotCommitter.Committed c = replica.fullSnapshot();
            reply(x, 200, Map.of("snapshot", c.manifest().id(), "positions", c.manifest().positions()));
        } catch (RuntimeException e) {
            reply(x, 409, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] readToken(Path file) {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (t.length() < 16) {
                throw new IllegalArgumentException("admin token file " + file + " holds fewer than 16 characters");
            }
            return t.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("admin token file " + file + " is not readable: " + e.getMessage(), e);
        }
    }

    private static boolean loopback(String bind) {
        String host = bind.substring(0, bind.lastIndexOf(':'));
        try {
            return !host.isEmpty() && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("admin listener host '" + host + "' does not resolve", e);
        }
    }

    private static void reply(HttpExchange x, int status, Map<String, ?> body) throws IOException {
        HttpListener.send(x, status, "application/json", JSON.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
