package io.tidemark.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.ManifestCodec;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.MemoryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When {@code snapshot.db} is written, and when it is left alone. Seam fakes: a map store, fixed streams. */
class BootCopyTest {
    private static final ClusterConfig CLUSTER = ClusterConfig.defaults();
    private static final String STREAM = CLUSTER.streamName(1);
    private static final String OLD = "20260101T000000Z-000000000001";
    private static final String NEW = "20260102T000000Z-000000000002";

    @TempDir
    Path dir;

    private final MemoryStore store = new MemoryStore();

    static ChangeSource streamFrom(long first, long last) {
        return new ChangeSource() {
            public List<String> streams() {
                return List.of(STREAM);
            }

            public StreamState state(String stream) {
                return new StreamState(stream, first, last, 1024);
            }

            public Cursor open(String stream, long fromSeq) {
                throw new UnsupportedOperationException();
            }

            public void close() { }
        };
    }

    static LeaseKeeper keeper() {
        LeaseManager leases = new LeaseManager() {
            public Lease acquire(String name, String holder, Duration ttl) {
                return new Lease(name, holder, 7, Instant.now().plus(ttl));
            }

            public Lease renew(Lease lease) {
                return lease;
            }

            public void release(Lease lease) { }
        };
        return LeaseKeeper.acquire(leases, "snapshot-leader", "test", Duration.ofMinutes(1), Clock.systemUTC());
    }

    private void head(String id) {
        store.objects.put("HEAD.json", ManifestCodec.write(new Head(id, "ff", 7, Instant.EPOCH)));
    }

    private BootCopy.Result publish(String id, long position, ChangeSource source, Instant cutAt, boolean rollback)
            throws IOException {
        Path raw = dir.resolve(id + ".db");
        Files.writeString(raw, "database " + id);
        try (LeaseKeeper k = keeper()) {
            return BootCopy.publish(store, source, CLUSTER, id, Map.of(STREAM, position), raw, cutAt, k, rollback);
        }
    }

    private String copy() {
        return new String(store.objects.get("snapshot.db"));
    }

    @Test
    void headThatHoldsEverythingBeforeTheStreamsStart_isPublished() throws Exception {
        head(NEW);
        BootCopy.Result r = publish(NEW, 500, streamFrom(400, 900), Instant.now(), false);
        assertThat(r.outcome()).isEqualTo(BootCopy.Outcome.PUBLISHED);
        assertThat(copy()).isEqualTo("database " + NEW);
        assertThat(ManifestCodec.json().readValue(store.objects.get(BootCopy.RECORD), BootCopy.Written.class).positions())
                .containsEntry(STREAM, 500L);
    }

    @Test
    void ourCopyAQuarterOfMaxEntriesBehind_isKept_andRewrittenOncePastIt() throws Exception {
        // max_entries 1024: a copy up to 256 changes behind HEAD stays; nodes replay the rest.
        head(OLD);
        publish(OLD, 500, streamFrom(1, 700), Instant.now(), false);
        head(NEW);
        BootCopy.Result close = publish(NEW, 756, streamFrom(1, 800), Instant.now(), false);
        assertThat(close.outcome()).isEqualTo(BootCopy.Outcome.FRESH_ENOUGH);
        assertThat(copy()).isEqualTo("database " + OLD);

        String newer = "20260103T000000Z-000000000003";
        head(newer);
        BootCopy.Result far = publish(newer, 757, streamFrom(1, 800), Instant.now(), false);
        assertThat(far.outcome()).isEqualTo(BootCopy.Outcome.PUBLISHED);
        assertThat(copy()).isEqualTo("database " + newer);
    }

    @Test
    void headOlderThanTheStreamsStart_isStale_andTheOldCopyStays() throws Exception {
        head(OLD);
        publish(OLD, 500, streamFrom(400, 900), Instant.now(), false);
        head(NEW);
        BootCopy.Result r = publish(NEW, 600, streamFrom(700, 1600), Instant.now(), false);
        assertThat(r.outcome()).isEqualTo(BootCopy.Outcome.STALE);
        assertThat(r.message()).contains(STREAM).contains("holds seq 600").contains("starts at 700");
        assertThat(copy()).isEqualTo("database " + OLD);
    }

    @Test
    void aSnapshotThatIsNoLongerHead_isNotPublished() throws Exception {
        head(NEW);
        BootCopy.Result r = publish(OLD, 500, streamFrom(1, 900), Instant.now(), false);
        assertThat(r.outcome()).isEqualTo(BootCopy.Outcome.NOT_HEAD);
        assertThat(store.objects).doesNotContainKey("snapshot.db");
    }

    @Test
    void aForeignCopyWrittenAfterOurCut_isKept() throws Exception {
        store.objects.put("snapshot.db", "a HarmonyLite node's upload".getBytes());
        store.times.put("snapshot.db", Instant.parse("2026-01-02T00:00:05Z"));
        head(NEW);
        BootCopy.Result r = publish(NEW, 500, streamFrom(1, 900), Instant.parse("2026-01-02T00:00:01Z"), false);
        assertThat(r.outcome()).isEqualTo(BootCopy.Outcome.KEPT_NEWER);
        assertThat(copy()).isEqualTo("a HarmonyLite node's upload");
        // A foreign copy older than the cut is replaced.
        BootCopy.Result later = publish(NEW, 500, streamFrom(1, 900), Instant.parse("2026-01-02T00:00:09Z"), false);
        assertThat(later.outcome()).isEqualTo(BootCopy.Outcome.PUBLISHED);
        assertThat(copy()).isEqualTo("database " + NEW);
    }

    @Test
    void ourOwnCopyFromALaterSnapshot_isNeverReplacedByAnOlderOne_exceptByRollback() throws Exception {
        head(NEW);
        publish(NEW, 900, streamFrom(1, 900), Instant.now(), false);
        head(OLD);
        assertThat(publish(OLD, 500, streamFrom(1, 900), Instant.now(), false).outcome())
                .isEqualTo(BootCopy.Outcome.KEPT_NEWER);
        assertThat(copy()).isEqualTo("database " + NEW);
        assertThat(publish(OLD, 500, streamFrom(1, 900), Instant.now(), true).outcome())
                .isEqualTo(BootCopy.Outcome.PUBLISHED);
        assertThat(copy()).isEqualTo("database " + OLD);
    }
}
