package io.tidemark.backends.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.store.SnapshotStore;
import io.tidemark.fixtures.contract.SnapshotStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderSnapshotStoreTest extends SnapshotStoreContract {
    @TempDir
    Path dir;
    private int n;

    @Override
    protected SnapshotStore newStore() {
        return new LocalFolderSnapshotStore(dir.resolve("store-" + n++));
    }

    @Test
    void putIfAbsent_shortBody_leavesNoObjectAndNoTempFile() {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("short"));
        assertThatThrownBy(() -> store.putIfAbsent("snapshots/a/db.sqlite.zst",
                new ByteArrayInputStream(new byte[10]), 20)).hasMessageContaining("expected 20 bytes, got 10");
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void keysOutsideTheRoot_areRejected() {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("escape"));
        assertThatThrownBy(() -> store.open("../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the store");
    }

    @Test
    void failingBodyStream_leavesNothingVisible() {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("failing"));
        InputStream broken = new InputStream() {
            int left = 1000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("disk full");
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> store.putIfAbsent("snapshots/a/db.sqlite.zst", broken, 5000))
                .hasMessageContaining("disk full");
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void delete_removesEmptiedFolders() throws IOException {
        LocalFolderSnapshotStore store = new LocalFolderSnapshotStore(dir.resolve("tidy"));
        store.putIfAbsent("snapshots/a/manifest.json", new ByteArrayInputStream(new byte[]{1}), 1);
        store.delete("snapshots/a/manifest.json");
        assertThat(Files.exists(dir.resolve("tidy/snapshots/a"))).isFalse();
        assertThat(Files.exists(dir.resolve("tidy"))).isTrue();
    }

    @Test
    void removeAbandoned_deletesOldTempFilesOfDeadWriters_only() throws Exception {
        LocalFolderSnapshotStore store = (LocalFolderSnapshotStore) newStore();
        store.putIfAbsent("snapshots/a/manifest.json", new java.io.ByteArrayInputStream(new byte[]{1}), 1);
        java.nio.file.Path folder = store.pathOf("snapshots/a/manifest.json").getParent();
        java.nio.file.Path old = java.nio.file.Files.write(folder.resolve(".tmp-dead"), new byte[100]);
        java.nio.file.Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
        java.nio.file.Path young = java.nio.file.Files.write(folder.resolve(".tmp-inflight"), new byte[100]);
        assertThat(store.removeAbandoned(java.time.Instant.now().minus(java.time.Duration.ofHours(1)))).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(young).exists();
        assertThat(store.list("snapshots/")).containsExactly("snapshots/a/manifest.json");
    }
}
