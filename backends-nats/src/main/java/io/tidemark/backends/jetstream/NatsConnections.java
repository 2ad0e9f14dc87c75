package io.tidemark.backends.jetstream;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Connects to NATS with reconnects that never give up, as a long-lived replica needs. */
public final class NatsConnections {
    private NatsConnections() {}

    public static Connection connect(List<String> urls, NatsSecurity security, Duration reconnectWait) {
        return connect(urls, security, reconnectWait, b -> { });
    }

    /** As above; {@code extra} adds options of the caller's (listeners) before connecting. */
    public static Connection connect(List<String> urls, NatsSecurity security, Duration reconnectWait,
                                     Consumer<Options.Builder> extra) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no NATS urls configured ([nats] urls)");
        }
        Options.Builder b = new Options.Builder()
                .servers(urls.toArray(String[]::new))
                .connectionName("tidemark")
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .reconnectWait(reconnectWait)
                .errorListener(new ErrorListener() { });
        if (security.tls()) {
            b.sslContext(NatsTls.context(security));
        }
        security.auth().applyTo(b);
        extra.accept(b);
        try {
            return Nats.connect(b.build());
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to NATS at " + urls + ": " + e.getMessage()
                    + (security.auth().isNone() ? "" : " (authenticating with " + security.auth().source() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
    }
}
