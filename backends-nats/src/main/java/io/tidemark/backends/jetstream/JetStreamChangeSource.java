package io.tidemark.backends.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamInfo;
import io.tidemark.core.change.ChangeMessage;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.cluster.ClusterConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a HarmonyLite cluster's streams from JetStream through ephemeral pull consumers that start
 * at a given sequence and need no acks (we track positions ourselves). Read-only: it never creates,
 * changes or purges a stream.
 */
public final class JetStreamChangeSource implements ChangeSource {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamChangeSource.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final Duration INACTIVE = Duration.ofMinutes(2);

    private final Connection nc;
    private final ClusterConfig cluster;
    private final boolean ownsConnection;

    /**
     * @param ownsConnection close the connection when this source closes
     */
    public JetStreamChangeSource(Connection nc, ClusterConfig cluster, boolean ownsConnection) {
        this.nc = nc;
        this.cluster = cluster;
        this.ownsConnection = ownsConnection;
    }

    @Override
    public List<String> streams() {
        return cluster.streamNames();
    }

    @Override
    public StreamState state(String stream) {
        StreamInfo info = info(stream);
        var st = info.getStreamState();
        return new StreamState(stream, st.getFirstSequence(), st.getLastSequence(),
                info.getConfiguration().getMaxMsgs());
    }

    private StreamInfo info(String stream) {
        try {
            return jsm().getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                throw new IllegalStateException("stream " + stream + " does not exist on " + nc.getConnectedUrl()
                        + ": check stream_prefix, shards and compress (cluster " + cluster.cluster() + ")", e);
            }
            throw new IllegalStateException("JetStream error " + e.getApiErrorCode() + " reading stream " + stream
                    + ": " + e.getErrorDescription(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read stream " + stream + ": " + e.getMessage(), e);
        }
    }

    private JetStreamManagement jsm() throws IOException {
        return nc.jetStreamManagement();
    }

    @Override
    public Cursor open(String stream, long fromSeq) {
        StreamInfo info = info(stream);
        List<String> subjects = info.getConfiguration().getSubjects();
        String subject = subjects.size() == 1 ? subjects.get(0) : null;
        try {
            JetStream js = nc.jetStream();
            ConsumerConfiguration cc = ConsumerConfiguration.builder()
                    .deliverPolicy(DeliverPolicy.ByStartSequence)
                    .startSequence(Math.max(1, fromSeq))
                    .ackPolicy(AckPolicy.None)
                    .inactiveThreshold(INACTIVE)
                    .maxPullWaiting(1)
                    .build();
            PullSubscribeOptions opts = PullSubscribeOptions.builder().stream(stream).configuration(cc).build();
            JetStreamSubscription sub = js.subscribe(subject, opts);
            LOG.debug("opened pull consumer on {} at seq {}", stream, fromSeq);
            return new PullCursor(stream, sub);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot open a consumer on " + stream + " at seq " + fromSeq + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (ownsConnection) {
            try {
                nc.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class PullCursor implements Cursor {
        private final String stream;
        private final JetStreamSubscription sub;

        PullCursor(String stream, JetStreamSubscription sub) {
            this.stream = stream;
            this.sub = sub;
        }

        @Override
        public List<ChangeMessage> next(int max, Duration wait) {
            List<Message> msgs = sub.fetch(max, wait);
            List<ChangeMessage> out = new ArrayList<>(msgs.size());
            for (Message m : msgs) {
                if (m.isJetStream()) {
                    out.add(new ChangeMessage(stream, m.metaData().streamSequence(), m.getData(),
                            m.metaData().timestamp().toInstant()));
                }
            }
            return out;
        }

        @Override
        public void close() {
            try {
                sub.unsubscribe();
            } catch (RuntimeException ignored) {
                // the server drops an inactive ephemeral consumer by itself
            }
        }
    }
}
