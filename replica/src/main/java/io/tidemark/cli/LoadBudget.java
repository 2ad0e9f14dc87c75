package io.tidemark.cli;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfo;
import io.tidemark.core.cluster.ClusterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Whether a load fits in the streams: each stream keeps only {@code max_entries} messages, so changes
 * published past that since HEAD fall off before a snapshot holds them, and the next build is a gap.
 */
final class LoadBudget {
    private static final int STREAM_NOT_FOUND = 10059;

    private LoadBudget() {}

    /**
     * Throws when publishing {@code perShard[i]} more changes to shard {@code i + 1} would leave more
     * than the stream's bound unsnapshotted.
     *
     * @param headPositions HEAD's positions; empty when there is no HEAD (everything since seq 0 counts)
     */
    static void check(Connection nc, ClusterConfig cluster, long[] perShard, Map<String, Long> headPositions,
                      String headId) {
        for (int shard = 1; shard <= cluster.shards(); shard++) {
            String stream = cluster.streamName(shard);
            StreamInfo info = info(nc, stream);
            long last = info == null ? 0 : info.getStreamState().getLastSequence();
            long bound = info == null || info.getConfiguration().getMaxMsgs() <= 0 ? cluster.maxEntries()
                    : info.getConfiguration().getMaxMsgs();
            long held = headPositions.getOrDefault(stream, 0L);
            long since = Math.max(0, last - held) + perShard[shard - 1];
            if (since > bound) {
                throw new IllegalArgumentException(String.format("this load would leave %,d changes on stream %s"
                        + " that no snapshot holds (%s at seq %,d, the stream at %,d, plus %,d new), more than its"
                        + " max_entries %,d: the stream would drop some and the next `tidemark snapshot build`"
                        + " would report a gap. Publish fewer (--changes), build a snapshot in between, raise"
                        + " max_entries, or pass --force", since, stream,
                        headId == null ? "no HEAD" : "HEAD " + headId, held, last, perShard[shard - 1], bound));
            }
        }
    }

    private static StreamInfo info(Connection nc, String stream) {
        try {
            return nc.jetStreamManagement().getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw new IllegalStateException("cannot read stream " + stream + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stream " + stream + ": " + e.getMessage(), e);
        }
    }
}
