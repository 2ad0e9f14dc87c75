package io.tidemark.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Page fingerprints: what a scan finds, and what a saved set is trusted for. */
class PageHashesTest {
    @TempDir
    Path dir;

    @Test
    void aScan_hashesTheWholeFile_andFingerprintsEveryPage_atAnyPageSize() throws Exception {
        for (int pageSize : new int[] {512, 4096, 65536}) {
            Path db = database("p" + pageSize + ".sqlite", pageSize, 3000);
            PageHashes h = PageHashes.scan(db);
            assertThat(h.pageSize()).isEqualTo(pageSize);
            assertThat(h.pages()).isEqualTo((int) (Files.size(db) / pageSize));
            assertThat(h.sha256()).isEqualTo(Hashing.sha256(db));
        }
    }

    @Test
    void fingerprintsAlone_forAFileWhoseSha256IsKnown_matchAScan() throws Exception {
        Path db = database("db.sqlite", 4096, 3000);
        PageHashes scanned = PageHashes.scan(db);
        PageHashes known = PageHashes.of(db, scanned.sha256());
        assertThat(known.sha256()).isEqualTo(scanned.sha256());
        BitSet changed = new BitSet();
        PageHashes.scan(db, known, changed);
        assertThat(changed.isEmpty()).isTrue();
        assertThat(known.pages()).isEqualTo(scanned.pages());
    }

    @Test
    void oneByteChangedInOnePage_marksThatPageOnly_andPagesAddedAtTheEndAreChanged() throws Exception {
        Path db = database("db.sqlite", 4096, 3000);
        PageHashes before = PageHashes.scan(db);
        byte[] bytes = Files.readAllBytes(db);
        bytes[4096 * 2 + 100] ^= 1; // page 3
        byte[] grown = Arrays.copyOf(bytes, bytes.length + 2 * 4096);
        Files.write(db, grown);
        BitSet changed = new BitSet();
        PageHashes after = PageHashes.scan(db, before, changed);
        BitSet expected = new BitSet();
        expected.set(3);
        expected.set(before.pages() + 1, before.pages() + 3);
        assertThat(changed).isEqualTo(expected);
        assertThat(after.pages()).isEqualTo(before.pages() + 2);
    }

    @Test
    void savedFingerprints_areTrustedOnlyForTheDatabaseWhoseSha256TheyCarry_andOnlyWhenIntact() throws Exception {
        Path db = database("db.sqlite", 4096, 3000);
        PageHashes h = PageHashes.scan(db);
        Path file = dir.resolve("db.pages");
        h.save(file);

        PageHashes loaded = PageHashes.load(file, h.sha256()).orElseThrow();
        BitSet changed = new BitSet();
        PageHashes.scan(db, loaded, changed);
        assertThat(changed.isEmpty()).as("the same file, compared with its loaded fingerprints").isTrue();

        assertThat(PageHashes.load(file, "0".repeat(64))).as("another database's sha256").isEmpty();
        assertThat(PageHashes.load(dir.resolve("missing.pages"), h.sha256())).isEmpty();
        byte[] saved = Files.readAllBytes(file);
        for (int at : new int[] {0, 10, 60, saved.length / 2, saved.length - 1}) {
            byte[] damaged = saved.clone();
            damaged[at] ^= 0x10;
            Files.write(file, damaged);
            assertThat(PageHashes.load(file, h.sha256())).as("one bit flipped at byte " + at).isEmpty();
        }
        Files.write(file, Arrays.copyOf(saved, saved.length - 9));
        assertThat(PageHashes.load(file, h.sha256())).as("truncated").isEmpty();
    }

    @Test
    void fingerprintsOfManyPages_surviveSaveAndLoad_chunkByChunk() throws Exception {
        Path db = database("many.sqlite", 512, 60_000); // ~30,000 pages: the saved file spans several 64 KiB chunks
        PageHashes h = PageHashes.scan(db);
        assertThat(h.pages()).isGreaterThan(3 * 65536 / 8);
        Path file = dir.resolve("many.pages");
        h.save(file);
        assertThat(Files.size(file)).isEqualTo(48 + 8L * h.pages() + 4);
        BitSet changed = new BitSet();
        PageHashes.scan(db, PageHashes.load(file, h.sha256()).orElseThrow(), changed);
        assertThat(changed.isEmpty()).isTrue();
        byte[] saved = Files.readAllBytes(file);
        saved[2 * 65536 + 1234] ^= 0x01; // in the third chunk
        Files.write(file, saved);
        assertThat(PageHashes.load(file, h.sha256())).isEmpty();
    }

    @Test
    void aFileThatIsNotADatabase_orNotWholePages_isRefusedNamingIt() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "x".repeat(5000));
        assertThatThrownBy(() -> PageHashes.scan(text)).isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("notes.txt").hasMessageContaining("not a SQLite database");

        Path db = database("db.sqlite", 4096, 100);
        Path torn = dir.resolve("torn.sqlite");
        byte[] bytes = Files.readAllBytes(db);
        Files.write(torn, Arrays.copyOf(bytes, bytes.length + 100));
        assertThatThrownBy(() -> PageHashes.scan(torn)).isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("torn.sqlite").hasMessageContaining("not a whole number of 4096-byte pages");

        PageHashes small = PageHashes.scan(database("small.sqlite", 512, 100));
        assertThatThrownBy(() -> PageHashes.scan(db, small, new BitSet()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("db.sqlite has 4096-byte pages");
    }

    private Path database(String name, int pageSize, int rows) throws Exception {
        Path db = dir.resolve(name);
        try (Connection c = Sqlite.open(db)) {
            Sqlite.exec(c, "PRAGMA page_size=" + pageSize, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ")"
                            + " INSERT INTO t SELECT i, printf('%.200c', 'x') FROM n");
        }
        return db;
    }
}
