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
        assertThatThrownBy(() -> ManifestCodec.readManifest("{\"format\":2}".getBytes(), "m"))
                .hasMessageContaining("format 2");
        assertThatThrownBy(() -> ManifestCodec.readHead("{\"snapshot\":\"x\"}".getBytes(), "HEAD.json"))
                .hasMessageContaining("manifestSha256 is missing");
    }

    @Test
    void snapshotIds_sortByTime_andRejectOtherShapes() {
        assertThat(SnapshotId.of(Instant.parse("2026-11-22T09:03:06Z"), "abcdef0123456789"))
                .isEqualTo("20261122T090306Z-abcdef012345");
        assertThatThrownBy(() -> SnapshotId.requireValid("../HEAD")).hasMessageContaining("not a snapshot id");
    }
}
