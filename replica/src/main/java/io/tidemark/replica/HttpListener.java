package io.tidemark.replica;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** A small HTTP listener on {@code host:port} with two daemon threads; what the replica's two servers share. */
final class HttpListener {
    private HttpListener() {}

    /** @param setting the flag and config key that choose {@code bind}, named when it cannot be used */
    static HttpServer listen(String bind, String what, String setting) {
        int colon = bind.lastIndexOf(':');
        String host = bind.substring(0, colon);
        int port = Integer.parseInt(bind.substring(colon + 1));
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port), 16);
        } catch (java.net.BindException e) {
            // Usually a second replica, or another service, on the same port: say which setting moves it.
            throw new IllegalArgumentException("cannot listen on " + bind + " for the " + what + " listener: "
                    + e.getMessage() + "; choose another address with " + setting, e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + bind + " for the " + what + " listener: "
                    + e.getMessage(), e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, what + "-http");
            t.setDaemon(true);
            return t;
        }));
        return server;
    }

    static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }
}
