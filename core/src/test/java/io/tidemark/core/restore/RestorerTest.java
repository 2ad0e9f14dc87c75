package io.tidemark.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestorerTest {
    @TempDir
    Path dir;

    /** A seam fake: objects in a map. */
    static final class MapStore implements SnapshotStore {
        final Map<String, byte[]> objects = new HashMap<>();

        public void putIfAbsent(String key, InputStream body, long length) {
            throw new UnsupportedOperationException();
        }

        public InputStream open(String key) {
            byte[] b = objects.get(key);
            if (b == null) {
                throw new ObjectNotFoundException(key);
            }
            return new ByteArrayInputStream(b);
        }

        public Optional<Versioned> read(String key) {
            return Optional.empty();
        }

        public String compareAndSet(String key, byte[] content, String expectedVersion) {
            throw new UnsupportedOperationException();
        }

        public void replace(String key, InputStream body, long length) {
            throw new UnsupportedOperationException();
        }

        public Optional<ObjectStat> stat(String key) {
            return Optional.empty();
        }

        public List<String> list(String prefix) {
            return List.of();
        }

        public void delete(String key) { }

        public String describe() {
            return "mem:";
        }
    }

    private static final String ID = "20260101T000000Z-0123456789ab";

    private static Manifest manifest() {
        return new Manifest(1, ID, Instant.EPOCH, "c", Map.of(), null,
                new Manifest.DbInfo("db.sqlite.zst", "zstd", 9, "aa", 9, "bb"), "h", Map.of(), null);
    }

    @Test
    void garbageInsteadOfZstd_isCorrupt_andLeavesTheTargetAsItWas() throws Exception {
        MapStore store = new MapStore();
        store.objects.put("snapshots/" + ID + "/db.sqlite.zst", "not zstd!".getBytes());
        Path target = dir.resolve("node.db");
        Files.writeString(target, "the old database");
        assertThatThrownBy(() -> Restorer.restore(store, manifest(), target, Progress.NONE))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining(ID);
        assertThat(Files.readString(target)).isEqualTo("the old database");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aTargetThatCannotBeWritten_isAnIoErrorNamingIt_notCorruption() throws Exception {
        MapStore store = new MapStore();
        store.objects.put("snapshots/" + ID + "/db.sqlite.zst", com.github.luben.zstd.Zstd.compress(new byte[9]));
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        Path dest = blocker.resolve("db.sqlite"); // a path under a regular file: cannot be created
        assertThatThrownBy(() -> Restorer.download(store, manifest(), dest, Progress.NONE))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(dest.toString());
    }
}
