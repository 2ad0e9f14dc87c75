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

    private NatsLink(Connection nc) {
        this.nc = nc;
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

    /** Disconnects seen since the watch began. */
    public long disconnects() {
        return disconnects.get();
    }

    @Override
    public void connectionEvent(Connection conn, Events type) {
        switch (type) {
            case DISCONNECTED -> {
                disconnects.incrementAndGet();
                downSince = System.nanoTime();
                LOG.warn("NATS disconnected from {}; reconnecting (replay pauses, /health/ready answers 503)",
                        conn.getServerInfo() == null ? "server" : conn.getServerInfo().getServerId());
            }
            case RECONNECTED -> LOG.info("NATS reconnected to {} after {} ms", conn.getConnectedUrl(),
                    downSince == 0 ? 0 : (System.nanoTime() - downSince) / 1_000_000);
            case CLOSED -> LOG.info("NATS connection closed");
            default -> LOG.debug("NATS {}", type.getEvent());
        }
    }
}
