package io.tidemark.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.manifest.ManifestCodec;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.store.MemoryStore;
import io.tidemark.core.store.StoreLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Retention over a store: what was HEAD is ranked, what never was is garbage after the grace period. */
class RetentionOfStoreTest {
    private final MemoryStore store = new MemoryStore();
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    private String snapshot(String stamp, String baseId, boolean headed) {
        String id = stamp + "-00000000000" + stamp.charAt(14);
        Manifest.BaseRef base = baseId == null ? null
                : new Manifest.BaseRef(baseId, Hashing.sha256(store.objects.get(StoreLayout.manifestKey(baseId))));
        Manifest m = new Manifest(1, id, Retention.timeOf(id), "c", Map.of("c-1", 1L), base,
                new Manifest.DbInfo(StoreLayout.DATABASE, "zstd", 1, "aa", 1, "bb"), "h", Map.of(), null);
        store.objects.put(StoreLayout.databaseKey(id), new byte[]{1});
        store.objects.put(StoreLayout.manifestKey(id), ManifestCodec.write(m));
        if (headed) {
            store.objects.put(StoreLayout.headedKey(id), new byte[0]);
        }
        return id;
    }

    private void head(String id) {
        store.objects.put(StoreLayout.HEAD, ManifestCodec.write(new Head(id, "ff", 1, NOW)));
    }

    @Test
    void orphanUploads_doNotCountTowardKeepLast_andGoAfterTheGracePeriod() {
        String seed = snapshot("20260101T000000Z", null, true);
        String a = snapshot("20260102T000000Z", seed, true);
        String b = snapshot("20260103T000000Z", a, false); // HEAD, its marker lost in a crash
        head(b);
        String orphan1 = snapshot("20260104T000000Z", b, false); // uploaded, then the build failed
        String orphan2 = snapshot("20260105T000000Z", b, false);
        store.objects.put(StoreLayout.databaseKey("20260106T000000Z-000000000009"), new byte[]{1}); // no manifest

        List<String> removed = Retention.apply(store, b, new RetentionPolicy(3, 0, 0, 0, Duration.ZERO), NOW);

        assertThat(removed).containsExactlyInAnyOrder(orphan1, orphan2, "20260106T000000Z-000000000009");
        assertThat(store.objects).containsKeys(StoreLayout.manifestKey(seed), StoreLayout.manifestKey(a),
                StoreLayout.manifestKey(b));
    }

    @Test
    void anEarlierHeadOffTheChain_afterARollback_isRanked_notTreatedAsAnOrphan() {
        String seed = snapshot("20260101T000000Z", null, true);
        String x = snapshot("20260102T000000Z", seed, true); // was HEAD, then rolled back from
        head(seed);
        String young = snapshot("20260301T000000Z", seed, false); // an orphan inside the grace period

        List<String> removed = Retention.apply(store, seed, new RetentionPolicy(2, 0, 0, 0, Duration.ofHours(1)), NOW);

        assertThat(removed).isEmpty();
        assertThat(store.objects).containsKeys(StoreLayout.manifestKey(x), StoreLayout.manifestKey(young));
    }
}
