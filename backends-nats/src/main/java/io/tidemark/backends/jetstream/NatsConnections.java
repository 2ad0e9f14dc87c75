package io.tidemark.backends.jetstream;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Connects to NATS with reconnects that never give up, as a long-lived replica needs. */
public final class NatsConnections {
    private NatsConnections() {}

    /**
     * @param user null for none
     * @param password null for none
     * @param token null for none
     */
    public static Connection connect(List<String> urls, String user, String password, String token,
                                     Duration reconnectWait) {
        return connect(urls, user, password, token, reconnectWait, b -> { });
    }

    /** As above; {@code extra} adds options of the caller's (TLS, a credentials file) before connecting. */
    public static Connection connect(List<String> urls, String user, String password, String token,
                                     Duration reconnectWait, java.util.function.Consumer<Options.Builder> extra) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no NATS urls configured ([nats] urls)");
        }
        Options.Builder b = new Options.Builder()
                .servers(urls.toArray(String[]::new))
                .connectionName("tidemark")
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .reconnectWait(reconnectWait)
                .errorListener(new io.nats.client.ErrorListener() { });
        if (user != null && !user.isEmpty()) {
            b.userInfo(user, password == null ? "" : password);
        }
        if (token != null && !token.isEmpty()) {
            b.token(token.toCharArray());
        }
        extra.accept(b);
        try {
            return Nats.connect(b.build());
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to NATS at " + urls + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
    }
}
