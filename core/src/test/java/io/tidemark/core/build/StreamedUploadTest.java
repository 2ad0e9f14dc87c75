package io.tidemark.core.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.SnapshotWriter;
import io.tidemark.core.store.MemoryStore;
import io.tidemark.core.store.StoreLayout;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database stored whole is compressed while it uploads: the store gets it whole, scratch never holds a .zst. */
class StreamedUploadTest {
    @TempDir
    Path dir;

    /** Records what the scratch folder held while the store read the body. */
    static final class WatchingStore extends MemoryStore {
        final Path scratch;
        final List<String> seenDuringUpload = new ArrayList<>();

        WatchingStore(Path scratch) {
            this.scratch = scratch;
        }

        @Override
        public void putIfAbsent(String key, InputStream body, long length) {
            if (key.endsWith(StoreLayout.DATABASE)) {
                try (Stream<Path> files = Files.list(scratch)) {
                    files.forEach(f -> seenDuringUpload.add(f.getFileName().toString()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                assertThat(length).isEqualTo(UNKNOWN_LENGTH);
            }
            super.putIfAbsent(key, body, length);
        }
    }

    @Test
    void wholeStreamed_storesTheCompressedDatabase_withItsTrueSizeAndHash_andNoZstOnDisk() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        byte[] db = new byte[(3 << 20) + 4096 * 5];
        new Random(1).nextBytes(db);
        for (int i = 0; i < db.length; i += 4096) {
            java.util.Arrays.fill(db, i, Math.min(db.length, i + 2048), (byte) 0); // half-empty pages compress
        }
        Path raw = Files.write(scratch.resolve("db.sqlite"), db);
        WatchingStore store = new WatchingStore(scratch);
        SnapshotWriter writer = new SnapshotWriter(1, 2, 1 << 20); // several frames
        SnapshotCommitter.Committed c = commit(store, SnapshotCommitter.Prepared.wholeStreamed(raw, writer,
                new SnapshotWriter.Copied(raw, db.length, Hashing.sha256(raw), new SnapshotWriter.Checked(Map.of("t", 1L),
                        "schema"))));

        assertThat(store.seenDuringUpload).containsExactly("db.sqlite");
        byte[] stored = store.objects.get(StoreLayout.SNAPSHOTS + c.manifest().id() + "/" + StoreLayout.DATABASE);
        Manifest.DbInfo info = c.manifest().db();
        assertThat(info.bytes()).isEqualTo(stored.length).isLessThan(db.length);
        assertThat(info.sha256()).isEqualTo(Hashing.sha256(stored));
        assertThat(info.rawSha256()).isEqualTo(Hashing.sha256(db));
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(stored))) {
            assertThat(in.readAllBytes()).isEqualTo(db);
        }
    }

    @Test
    void aDatabaseThatCannotBeRead_storesNothing_andSaysWhich() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path missing = scratch.resolve("gone.sqlite");
        MemoryStore store = new MemoryStore();
        assertThatThrownBy(() -> commit(store, SnapshotCommitter.Prepared.wholeStreamed(missing,
                SnapshotWriter.defaults(), new SnapshotWriter.Copied(missing, 10, "ab".repeat(32),
                        new SnapshotWriter.Checked(Map.of(), "schema")))))
                .hasMessageContaining("gone.sqlite");
        assertThat(store.objects.keySet()).noneMatch(k -> k.startsWith(StoreLayout.SNAPSHOTS));
    }

    @Test
    void aWholeDatabaseFailingItsCheck_isRemovedAfterItsUpload_andNothingNamesIt() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path raw = scratch.resolve("db.sqlite");
        long leaf;
        try (java.sql.Connection c = io.tidemark.core.snapshot.Sqlite.open(raw)) {
            io.tidemark.core.snapshot.Sqlite.exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                            + " INSERT INTO t SELECT i, printf('%0100d', i) FROM n");
            try (java.sql.ResultSet rs = c.createStatement().executeQuery("PRAGMA page_count")) {
                leaf = rs.getLong(1); // the last page: a leaf of t
            }
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(raw,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff}), (leaf - 1) * 4096); // not a b-tree page type
        }
        List<String> stored = new ArrayList<>();
        MemoryStore store = new MemoryStore() {
            @Override
            public void putIfAbsent(String key, InputStream body, long length) {
                super.putIfAbsent(key, body, length);
                stored.add(key);
            }
        };

        assertThatThrownBy(() -> commit(store, SnapshotCommitter.Prepared.wholeChecking(raw, SnapshotWriter.defaults(),
                Files.size(raw), Hashing.sha256(raw), Map.of("t", 3000L), "schema", SnapshotWriter.checkBeside(raw))))
                .isInstanceOf(io.tidemark.core.snapshot.CorruptSnapshotException.class)
                .hasMessageContaining("quick_check").hasMessageContaining("db.sqlite");
        assertThat(store.objects.keySet()).as("uploaded, then removed; no manifest, no HEAD")
                .noneMatch(k -> k.startsWith(StoreLayout.SNAPSHOTS) || k.equals(StoreLayout.HEAD));
        assertThat(stored).singleElement().asString().endsWith("/" + StoreLayout.DATABASE);
    }

    private static SnapshotCommitter.Committed commit(MemoryStore store, SnapshotCommitter.Prepared p) {
        try (LeaseKeeper k = BootCopyTest.keeper()) {
            return new SnapshotCommitter(store, Clock.systemUTC(), step -> { }, Progress.NONE).commit(p,
                    Map.of("s-1", 10L), new SnapshotCommitter.Origin("c", null, Trigger.MANUAL, "test", 10,
                            System.nanoTime()), k);
        }
    }
}
