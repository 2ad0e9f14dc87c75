package io.tidemark.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page-set format and the page capture by fingerprints, on real SQLite files. */
class PageSetTest {
    @TempDir
    Path dir;

    @Test
    void fingerprintsNameExactlyThePagesABuildChanged_andAPageSetOfThemTurnsTheOldFileIntoTheNew() throws Exception {
        Path db = dir.resolve("db.sqlite");
        try (Connection c = Sqlite.open(db)) {
            Sqlite.exec(c, "PRAGMA journal_mode=WAL", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
                            + " INSERT INTO t SELECT i, printf('%.100c', 'x') FROM n");
        }
        byte[] before = Files.readAllBytes(db);
        PageHashes known = PageHashes.scan(db);
        assertThat(known.sha256()).isEqualTo(Hashing.sha256(db));
        try (Connection c = Sqlite.openForBuild(db)) { // as a build applies changes: no journal
            Sqlite.exec(c, "UPDATE t SET v = 'changed' WHERE id IN (5, 10000, 19999)", "DELETE FROM t WHERE id > 19000",
                    "INSERT INTO t VALUES (50000, 'new')");
        }
        BitSet pages = new BitSet();
        PageHashes now = PageHashes.scan(db, known, pages);
        byte[] after = Files.readAllBytes(db);
        assertThat(now.sha256()).isEqualTo(Hashing.sha256(db));
        int pageSize = 4096;
        BitSet differ = new BitSet();
        for (int p = 1; p <= Math.max(before.length, after.length) / pageSize; p++) {
            byte[] a = slice(before, p, pageSize);
            byte[] b = slice(after, p, pageSize);
            if (!Arrays.equals(a, b)) {
                differ.set(p);
            }
        }
        assertThat(differ.cardinality()).isGreaterThan(2).isLessThan(after.length / pageSize / 2);
        BitSet missed = (BitSet) differ.clone();
        missed.andNot(pages);
        assertThat(missed.isEmpty()).as("pages that changed but the fingerprints did not name: " + missed).isTrue();
        assertThat(pages).as("exactly the pages that differ").isEqualTo(differ);

        // A page set of those pages, applied to the old file, gives the new file byte for byte.
        ByteArrayOutputStream set = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
            PageSet.write(ch, pageSize, after.length / pageSize, pages, 3, set);
        }
        Path old = dir.resolve("old.sqlite");
        Files.write(old, before);
        try (FileChannel ch = FileChannel.open(old, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            PageSet.apply(new ByteArrayInputStream(set.toByteArray()), ch);
        }
        assertThat(Files.readAllBytes(old)).isEqualTo(after);
        assertThat(PageSet.pageNumbers(new ByteArrayInputStream(set.toByteArray()))).isEqualTo(pages);
    }

    @Test
    void aDamagedPageSet_isRefused_andSaysWhy() throws Exception {
        Path db = dir.resolve("db.sqlite");
        Files.write(db, new byte[4096 * 4]);
        BitSet pages = new BitSet();
        pages.set(2);
        pages.set(4);
        ByteArrayOutputStream set = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ)) {
            PageSet.write(ch, 4096, 4, pages, 1, set);
        }
        byte[] raw = Zstd.decompress(set.toByteArray(), 8 + 12 + 2 * (4 + 4096) + 32);
        byte[] flipped = raw.clone();
        flipped[30] ^= 1; // inside page 2
        assertThatThrownBy(() -> PageSet.pageNumbers(new ByteArrayInputStream(Zstd.compress(flipped))))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("sha256");
        byte[] swapped = raw.clone();
        ByteBuffer.wrap(swapped).putInt(20, 4).putInt(20 + 4 + 4096, 2); // page 4 listed before page 2
        assertThatThrownBy(() -> PageSet.pageNumbers(new ByteArrayInputStream(Zstd.compress(swapped))))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("after page 4");
        byte[] cut = Arrays.copyOf(set.toByteArray(), set.size() / 2);
        assertThatThrownBy(() -> PageSet.pageNumbers(new ByteArrayInputStream(cut)))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> PageSet.pageNumbers(new ByteArrayInputStream(Zstd.compress("not a set".getBytes()))))
                .isInstanceOf(CorruptSnapshotException.class);
    }

    private static byte[] slice(byte[] file, int page, int pageSize) {
        int from = (page - 1) * pageSize;
        return from >= file.length ? new byte[0] : Arrays.copyOfRange(file, from, Math.min(file.length, from + pageSize));
    }
}
