package io.tidemark.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
    private static final Manifest M = new Manifest(1, "20260101T000000Z-0123456789ab", Instant.parse("2026-01-01T00:00:00Z"),
            "harmonylite", Map.of("harmonylite-1", 42L), new Manifest.BaseRef("20251231T000000Z-0123456789ab", "ff"),
            new Manifest.DbInfo("db.sqlite.zst", "zstd", 10, "aa", 20, "bb"), "cc", Map.of("t", 3L),
            new Manifest.BuildInfo("schedule", "h", 7, 42, 5, "0.1.0"));

    @Test
    void roundTrips_withTheDocumentedFieldNames() {
        byte[] json = ManifestCodec.write(M);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"positions\"", "\"manifestSha256\"", "\"rawSha256\"", "\"leaseToken\"",
                "\"changesApplied\"", "\"createdAt\" : \"2026-01-01T00:00:00Z\"");
        assertThat(ManifestCodec.readManifest(json, "m")).isEqualTo(M);
    }

    @Test
    void invalidDocuments_nameWhereAndWhat() {
        assertThatThrownBy(() -> ManifestCodec.readManifest("{".getBytes(), "store/x/manifest.json"))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining("store/x/manifest.json");
        assertThatThrownBy(() -> ManifestCodec.readManifest("{\"format\":3}".getBytes(), "m"))
                .hasMessageContaining("format 3 is not supported");
        assertThatThrownBy(() -> ManifestCodec.readHead("{\"snapshot\":\"x\"}".getBytes(), "HEAD.json"))
                .hasMessageContaining("manifestSha256 is missing");
    }

    @Test
    void layeredManifests_roundTrip_andAChainMustStartWithOneFullDatabase() {
        Manifest.Layer full = new Manifest.Layer("20251231T000000Z-0123456789ab", "db.sqlite.zst", "full", 0, 9, "f1");
        Manifest.Layer pages = new Manifest.Layer(M.id(), "pages-L0.tmpg.zst", "pages", 0, 10, "aa");
        Manifest layered = new Manifest(2, M.id(), M.createdAt(), M.cluster(), M.positions(), M.base(),
                new Manifest.DbInfo("pages-L0.tmpg.zst", "tidemark-pages+zstd", 10, "aa", 20, "bb"),
                java.util.List.of(full, pages), "cc", M.tables(), M.build());
        assertThat(ManifestCodec.readManifest(ManifestCodec.write(layered), "m")).isEqualTo(layered);
        assertThat(layered.chain().get(1).key()).isEqualTo("snapshots/" + M.id() + "/pages-L0.tmpg.zst");
        // Format 1 has no layers field at all, and its chain is its one object.
        assertThat(new String(ManifestCodec.write(M), StandardCharsets.UTF_8)).doesNotContain("layers");
        assertThat(M.chain()).containsExactly(new Manifest.Layer(M.id(), "db.sqlite.zst", "full", 0, 10, "aa"));

        Manifest pagesFirst = new Manifest(2, M.id(), M.createdAt(), M.cluster(), M.positions(), M.base(), layered.db(),
                java.util.List.of(pages, pages), "cc", M.tables(), M.build());
        assertThatThrownBy(() -> ManifestCodec.readManifest(ManifestCodec.write(pagesFirst), "m"))
                .hasMessageContaining("layers[0] is pages");
        Manifest escaping = new Manifest(2, M.id(), M.createdAt(), M.cluster(), M.positions(), M.base(), layered.db(),
                java.util.List.of(full, new Manifest.Layer(M.id(), "../../HEAD.json", "pages", 0, 1, "aa")), "cc",
                M.tables(), M.build());
        assertThatThrownBy(() -> ManifestCodec.readManifest(ManifestCodec.write(escaping), "m"))
                .hasMessageContaining("layers[1]");
    }

    @Test
    void snapshotIds_sortByTime_andRejectOtherShapes() {
        assertThat(SnapshotId.of(Instant.parse("2026-11-22T09:03:06Z"), "abcdef0123456789"))
                .isEqualTo("20261122T090306Z-abcdef012345");
        assertThatThrownBy(() -> SnapshotId.requireValid("../HEAD")).hasMessageContaining("not a snapshot id");
    }
}
