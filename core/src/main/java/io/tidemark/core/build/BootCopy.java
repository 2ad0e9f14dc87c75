package io.tidemark.core.build;

import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.ManifestCodec;
import io.tidemark.core.store.ComposableStore;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import io.tidemark.core.store.StoreLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plain {@code snapshot.db} HarmonyLite nodes boot from, written beside Tidemark's own layout
 * after HEAD moves. A node restores it whenever its seq-map is behind a stream's first sequence
 * and then replays whatever the stream still holds, applying no positions from the file; so the
 * copy is published only when, for every stream, it holds everything before the stream's first
 * sequence. Otherwise a node booting from it would silently miss changes: that is reported, and
 * the copy already there stays.
 *
 * <p>The copy never moves backwards: {@code snapshot.db.json} records which snapshot Tidemark last
 * wrote and the object's size and time right after; a copy that no longer matches that record was
 * written by someone else (a HarmonyLite publisher) and is kept when it is newer than this
 * snapshot's cut. The write itself is {@link SnapshotStore#replace}: a node sees the old file or the
 * new one, never none.
 */
public final class BootCopy {
    /** Tidemark's record of the copy it last wrote. */
    public static final String RECORD = StoreLayout.PLAIN_COPY + ".json";

    public enum Outcome {
        /** {@code snapshot.db} is now HEAD's database. */
        PUBLISHED,
        /** HEAD is too old for a node to boot from: the stream no longer holds what follows it. */
        STALE,
        /** A newer copy is there (another writer's, or one Tidemark wrote from a later snapshot). */
        KEPT_NEWER,
        /**
         * The copy Tidemark wrote last is close enough behind this snapshot (a quarter of
         * {@code max_entries} on every stream) that nodes booting from it replay the rest from the
         * stream; it is rewritten once it falls further behind, well before the stream drops what
         * follows it (the headroom trigger builds again at half).
         */
        FRESH_ENOUGH,
        /** HEAD moved on to another snapshot meanwhile; that one's build publishes its copy. */
        NOT_HEAD,
        /** Writing it failed; the snapshot is HEAD all the same, and nodes keep the copy they had. */
        FAILED;

        public String wire() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** @param bytesSent what went over the wire for {@code snapshot.db} (0 when it was not written) */
    public record Result(Outcome outcome, String message, long bytesSent) {
        public Result(Outcome outcome, String message) {
            this(outcome, message, 0);
        }
    }

    /**
     * What {@link #RECORD} holds; {@code chunks} (null from older writers, or from stores that
     * cannot compose) lets the next copy send only the chunks that changed.
     */
    public record Written(String snapshot, Map<String, Long> positions, long bytes, Instant lastModified,
                          ChunkHashes chunks) {}

    private BootCopy() {}

    /**
     * Publishes {@code raw} (the plain database of snapshot {@code id}, holding {@code positions})
     * as {@code snapshot.db}, under the lease that built it.
     *
     * @param cutAt when the build read the streams' last sequences: a foreign copy written later may
     *              hold more than this snapshot
     * @param rollback write it even over a newer copy (an operator's rollback of HEAD)
     */
    public static Result publish(SnapshotStore store, ChangeSource source, ClusterConfig cluster, String id,
                                 Map<String, Long> positions, Path raw, Instant cutAt, LeaseKeeper keeper,
                                 boolean rollback) {
        return publish(store, source, cluster, id, positions, raw, cutAt, keeper, rollback, rollback);
    }

    /**
     * @param always write it even when Tidemark's last copy is close behind (a copy every build)
     */
    public static Result publish(SnapshotStore store, ChangeSource source, ClusterConfig cluster, String id,
                                 Map<String, Long> positions, Path raw, Instant cutAt, LeaseKeeper keeper,
                                 boolean rollback, boolean always) {
        String headId = Catalog.readHead(store).map(h -> h.head().snapshot()).orElse(null);
        if (!id.equals(headId)) {
            return new Result(Outcome.NOT_HEAD, "snapshot.db not written: HEAD is " + headId + ", not " + id);
        }
        List<String> behind = new ArrayList<>();
        for (String stream : cluster.streamNames()) {
            StreamState state = source.state(stream);
            long position = positions.getOrDefault(stream, 0L);
            if (state.hasGapAfter(position)) {
                behind.add(stream + " holds seq " + position + " but the stream starts at " + state.firstSeq());
            }
        }
        if (!behind.isEmpty()) {
            return new Result(Outcome.STALE, "snapshot.db not written: a node booting from " + id + " would miss"
                    + " changes no stream holds any more (" + String.join("; ", behind) + "); build more often"
                    + " or raise max_entries");
        }
        Optional<SnapshotStore.ObjectStat> current = store.stat(StoreLayout.PLAIN_COPY);
        Optional<Written> ours = current.flatMap(c -> readRecord(store).filter(w -> w.bytes() == c.bytes()
                && w.lastModified().equals(c.lastModified())));
        if (current.isPresent() && !rollback) {
            if (ours.isPresent() && ahead(ours.get().positions(), positions)) {
                return new Result(Outcome.KEPT_NEWER, "snapshot.db already holds " + ours.get().snapshot()
                        + ", which is ahead of " + id);
            }
            if (ours.isPresent() && !always && closeBehind(ours.get().positions(), positions, cluster.maxEntries() / 4)) {
                return new Result(Outcome.FRESH_ENOUGH, "snapshot.db holds " + ours.get().snapshot() + ", within "
                        + cluster.maxEntries() / 4 + " changes of " + id + " on every stream: nodes booting from it"
                        + " replay the rest; not rewritten");
            }
            if (ours.isEmpty() && current.get().lastModified().isAfter(cutAt)) {
                return new Result(Outcome.KEPT_NEWER, "snapshot.db in " + store.describe() + " was written at "
                        + current.get().lastModified() + " by another writer (a HarmonyLite publisher?), after "
                        + id + " read the streams at " + cutAt + ": kept");
            }
        }
        keeper.ensureHeld();
        Upload up = upload(store, raw, ours.map(w -> Map.entry(w, current.get())));
        SnapshotStore.ObjectStat written = store.stat(StoreLayout.PLAIN_COPY).orElseThrow(() ->
                new IllegalStateException("snapshot.db vanished from " + store.describe() + " right after it was written"));
        byte[] record = ManifestCodec.write(new Written(id, positions, written.bytes(), written.lastModified(), up.chunks()));
        store.replace(RECORD, new java.io.ByteArrayInputStream(record), record.length);
        return new Result(Outcome.PUBLISHED, "snapshot.db is " + id + up.how(), up.sent());
    }

    private record Upload(long sent, ChunkHashes chunks, String how) {}

    /**
     * Writes {@code raw} as {@code snapshot.db}: on a store that can compose, only the chunks that
     * differ from the copy Tidemark wrote last ({@code previous}, with the object's stat) are sent;
     * anything else (no record of chunks, the object changed meanwhile) sends the whole file.
     */
    private static Upload upload(SnapshotStore store, Path raw, Optional<Map.Entry<Written, SnapshotStore.ObjectStat>> previous) {
        ChunkHashes chunks = null;
        String fallback = "";
        try {
            long size = Files.size(raw);
            if (store instanceof ComposableStore composable) {
                chunks = ChunkHashes.of(raw, Math.max(ChunkHashes.DEFAULT_CHUNK, composable.minChunkBytes()));
                ChunkHashes old = previous.map(p -> p.getKey().chunks()).orElse(null);
                BitSet reuse = old == null ? new BitSet() : chunks.sameAs(old);
                if (!reuse.isEmpty()) {
                    try {
                        long sent = composable.replaceReusing(StoreLayout.PLAIN_COPY, raw, chunks.chunkBytes(), reuse,
                                previous.get().getValue());
                        return new Upload(sent, chunks, " (sent " + sent + " of " + size + " bytes: " + reuse.cardinality()
                                + " of " + chunks.sha256().size() + " chunks copied from the previous copy)");
                    } catch (StoreException e) { // PreconditionFailedException among them
                        fallback = " (sent whole: reusing the previous copy failed: " + e.getMessage() + ")";
                    }
                }
            }
            try (InputStream in = Files.newInputStream(raw)) {
                store.replace(StoreLayout.PLAIN_COPY, in, size);
            }
            return new Upload(size, chunks, fallback);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + raw, e);
        }
    }

    /** True when {@code older} is behind {@code ours} by at most {@code slack} on every stream. */
    private static boolean closeBehind(Map<String, Long> older, Map<String, Long> ours, long slack) {
        for (Map.Entry<String, Long> e : ours.entrySet()) {
            if (e.getValue() - older.getOrDefault(e.getKey(), 0L) > slack) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code theirs} holds at least ours on every stream and more on one. */
    private static boolean ahead(Map<String, Long> theirs, Map<String, Long> ours) {
        boolean more = false;
        for (Map.Entry<String, Long> e : ours.entrySet()) {
            long t = theirs.getOrDefault(e.getKey(), 0L);
            if (t < e.getValue()) {
                return false;
            }
            more |= t > e.getValue();
        }
        return more;
    }

    private static Optional<Written> readRecord(SnapshotStore store) {
        return store.read(RECORD).flatMap(v -> {
            try {
                return Optional.of(ManifestCodec.json().readValue(v.content(), Written.class));
            } catch (IOException e) {
                return Optional.empty(); // unreadable: treated as not ours, judged by time
            }
        });
    }
}
