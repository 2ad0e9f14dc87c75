package io.tidemark.replica;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Watches a NATS connection: logs every disconnect and reconnect, and says whether it is up now. */
public final class NatsLink implements ConnectionListener {
    private static final Logger LOG = LoggerFactory.getLogger(NatsLink.class);

    private final Connection nc;
    private final AtomicLong disconnects = new AtomicLong();
    private volatile long downSince;
    private volatile boolean down;
    private volatile String url;

    private NatsLink(Connection nc) {
        this.nc = nc;
        this.url = nc.getConnectedUrl();
    }

    /** Starts watching {@code nc}. */
    public static NatsLink watch(Connection nc) {
        NatsLink link = new NatsLink(nc);
        nc.addConnectionListener(link);
        return link;
    }

    /** The connection can carry requests right now. */
    public boolean connected() {
        return nc.getStatus() == Connection.Status.CONNECTED;
    }

    /** Outages seen since the watch began (failed reconnect attempts within one outage count once). */
    public long disconnects() {
        return disconnects.get();
    }

    @Override
    public void connectionEvent(Connection conn, Events type) {
        switch (type) {
            case DISCONNECTED -> {
                // jnats reports a disconnect again after each failed reconnect attempt: one outage, one line.
                if (!down) {
                    down = true;
                    disconnects.incrementAndGet();
                    downSince = System.nanoTime();
                    LOG.warn("NATS disconnected from {}; reconnecting (replay pauses, /health/ready answers 503)", url);
                }
            }
            case RECONNECTED -> {
                down = false;
                url = conn.getConnectedUrl();
                LOG.info("NATS reconnected to {} after {} ms", url, (System.nanoTime() - downSince) / 1_000_000);
            }
            case CLOSED -> LOG.info("NATS connection closed");
            default -> LOG.debug("NATS {}", type.getEvent());
        }
    }
}
