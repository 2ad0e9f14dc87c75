package io.tidemark.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.change.ChangeEvent;
import io.tidemark.core.change.ChangeType;
import io.tidemark.core.snapshot.SqlScript;
import io.tidemark.core.snapshot.Sqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The windowed applier (grouping per table, coalescing per key) against a change-at-a-time replay. */
class ApplyWindowTest {
    private static final String SCHEMA = String.join("\n",
            "PRAGMA foreign_keys=ON;",
            "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT);",
            "CREATE TABLE w (a INTEGER, b TEXT, v, PRIMARY KEY (a, b)) WITHOUT ROWID;",
            "CREATE TABLE r (msg TEXT);",
            "CREATE TABLE uq (id INTEGER PRIMARY KEY, email TEXT UNIQUE);",
            "CREATE TABLE tg (id INTEGER PRIMARY KEY, v TEXT);",
            "CREATE TABLE tlog (msg TEXT);",
            "CREATE TRIGGER tg_log AFTER INSERT ON tg BEGIN INSERT INTO tlog (msg) VALUES (new.v); END;",
            "CREATE TABLE n (k TEXT PRIMARY KEY, v);",
            "CREATE TABLE ai (id INTEGER PRIMARY KEY AUTOINCREMENT, v);",
            "CREATE TABLE parent (id INTEGER PRIMARY KEY, v);",
            "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id) ON DELETE CASCADE);",
            "");
    private static final List<String> TABLES = List.of("u", "w", "r", "uq", "tg", "tlog", "n", "ai", "parent", "child");

    @TempDir
    Path dir;
    private Connection windowed;
    private Connection plain;
    private Applier applier;
    private Map<String, List<String>> keys;
    private long seq;

    @BeforeEach
    void open() throws Exception {
        windowed = Sqlite.open(dir.resolve("windowed.db"));
        plain = Sqlite.open(dir.resolve("plain.db"));
        SqlScript.run(windowed, SCHEMA);
        SqlScript.run(plain, SCHEMA);
        Sqlite.exec(plain, "PRAGMA synchronous=OFF", "PRAGMA journal_mode=MEMORY"); // one commit per change
        applier = Applier.withPositionsInMemory(windowed, java.time.ZoneOffset.UTC, Map.of());
        keys = PlainReplay.keys(plain, TABLES);
    }

    @AfterEach
    void close() throws Exception {
        applier.close();
        windowed.close();
        plain.close();
    }

    private static ChangeEvent ev(ChangeType t, String table, Object... kv) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            row.put((String) kv[i], kv[i + 1]);
        }
        return new ChangeEvent(1, 1, t, table, row, null);
    }

    private void replay(ChangeEvent... events) throws Exception {
        for (ChangeEvent e : events) {
            applier.apply("s", ++seq, e);
            PlainReplay.apply(plain, e, keys.get(e.table()));
        }
        applier.commit();
    }

    private void assertSameRows() throws Exception {
        assertThat(PlainReplay.dump(windowed)).containsExactlyElementsOf(PlainReplay.dump(plain));
    }

    @Test
    void eligibility_followsTheSchema() throws Exception {
        assertThat(TableShape.read(windowed, "u").coalescible()).isTrue();
        assertThat(TableShape.read(windowed, "w").coalescible()).isTrue();
        assertThat(TableShape.read(windowed, "r").coalescible()).isTrue();
        assertThat(TableShape.read(windowed, "tlog").coalescible()).isTrue();
        TableShape unique = TableShape.read(windowed, "uq");
        assertThat(unique.independent()).isTrue();
        assertThat(unique.coalescible()).as("secondary UNIQUE").isFalse();
        assertThat(TableShape.read(windowed, "tg").independent()).as("trigger").isFalse();
        assertThat(TableShape.read(windowed, "n").coalescible()).as("rowid assigned per insert").isFalse();
        assertThat(TableShape.read(windowed, "ai").coalescible()).as("AUTOINCREMENT").isFalse();
        assertThat(TableShape.read(windowed, "parent").independent()).as("referenced by a foreign key").isFalse();
        assertThat(TableShape.read(windowed, "child").independent()).as("has a foreign key").isFalse();
    }

    @Test
    void repeatedKeys_onEligibleTables_areCoalesced_andGiveThePlainReplaysRows() throws Exception {
        replay(ev(ChangeType.INSERT, "u", "id", 1L, "name", "a"),
                ev(ChangeType.INSERT, "w", "a", 1L, "b", "x", "v", 1.5),
                ev(ChangeType.UPDATE, "u", "id", 1L, "name", "b"),
                ev(ChangeType.INSERT, "r", "rowid", 7L, "msg", "m"),
                ev(ChangeType.UPDATE, "w", "a", 1L, "b", "x", "v", new byte[] {1, 2}),
                ev(ChangeType.UPDATE, "r", "rowid", 7L, "msg", "m2"),
                ev(ChangeType.UPDATE, "u", "id", 1L, "name", "c"));
        assertThat(applier.coalesced()).isEqualTo(4);
        assertSameRows();
        assertThat(PlainReplay.dump(windowed)).contains("u:1:Integer|1:Integer|c:String");
    }

    @Test
    void secondaryUniqueIndex_keepsEveryChange_whereCoalescingWouldKeepARowTheReplayDeletes() throws Exception {
        replay(ev(ChangeType.INSERT, "uq", "id", 1L, "email", "a@x"));
        // The first upsert of key 2 replaces row 1 (same email); dropping it would leave row 1 behind.
        replay(ev(ChangeType.INSERT, "uq", "id", 2L, "email", "a@x"),
                ev(ChangeType.UPDATE, "uq", "id", 2L, "email", "c@x"));
        assertThat(applier.coalesced()).isZero();
        assertSameRows();
        assertThat(PlainReplay.dump(windowed)).filteredOn(r -> r.startsWith("uq:")).hasSize(1);
    }

    @Test
    void tableWithATrigger_keepsEveryChange_andItsOrderAgainstOtherTables() throws Exception {
        replay(ev(ChangeType.INSERT, "tg", "id", 1L, "v", "a"),
                ev(ChangeType.INSERT, "tlog", "rowid", 1L, "msg", "direct"),
                ev(ChangeType.UPDATE, "tg", "id", 1L, "v", "b"),
                ev(ChangeType.UPDATE, "tg", "id", 1L, "v", "c"));
        assertThat(applier.coalesced()).isZero();
        assertSameRows();
        assertThat(PlainReplay.dump(windowed)).filteredOn(r -> r.startsWith("tlog:")).hasSize(3);
    }

    @Test
    void deleteThenInsert_andInsertThenDelete_ofOneKey_endAsThePlainReplay() throws Exception {
        replay(ev(ChangeType.INSERT, "u", "id", 5L, "name", "old"), ev(ChangeType.INSERT, "w", "a", 1L, "b", "k"));
        replay(ev(ChangeType.DELETE, "u", "id", 5L, "name", "old"),
                ev(ChangeType.INSERT, "u", "id", 5L, "name", "new"),
                ev(ChangeType.INSERT, "u", "id", 6L, "name", "gone"),
                ev(ChangeType.DELETE, "u", "id", 6L, "name", "gone"),
                ev(ChangeType.DELETE, "w", "a", 1L, "b", "k"),
                ev(ChangeType.INSERT, "w", "a", 1L, "b", "k", "v", "back"),
                ev(ChangeType.INSERT, "w", "a", 2L, "b", "k"),
                ev(ChangeType.DELETE, "w", "a", 2L, "b", "k"));
        assertThat(applier.coalesced()).isEqualTo(4);
        assertSameRows();
    }

    @Test
    void insertWithoutAKey_keepsTheChangesBeforeIt_whoseRowidsItFollows() throws Exception {
        replay(ev(ChangeType.INSERT, "u", "id", 5L, "name", "a"),
                ev(ChangeType.INSERT, "u", "id", null, "name", "gets rowid 6"),
                ev(ChangeType.DELETE, "u", "id", 5L, "name", "a"));
        assertThat(applier.coalesced()).isZero();
        assertSameRows();
        assertThat(PlainReplay.dump(windowed)).filteredOn(r -> r.startsWith("u:"))
                .containsExactly("u:6:Integer|6:Integer|gets rowid 6:String");
    }

    @Test
    void foreignKeys_keepStreamOrderAcrossTables() throws Exception {
        // SCHEMA turned foreign_keys on for both connections: a child before its parent would fail.
        replay(ev(ChangeType.INSERT, "parent", "id", 1L, "v", "p"),
                ev(ChangeType.INSERT, "child", "id", 10L, "p", 1L),
                ev(ChangeType.INSERT, "u", "id", 1L, "name", "between"),
                ev(ChangeType.DELETE, "parent", "id", 1L),
                ev(ChangeType.INSERT, "child", "id", 11L, "p", null));
        assertSameRows();
        assertThat(PlainReplay.dump(windowed)).filteredOn(r -> r.startsWith("child:")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void randomChangesOnEveryKindOfTable_giveThePlainReplaysRows(long seed) throws Exception {
        Random random = new Random(seed);
        List<String> tables = List.of("u", "w", "r", "uq", "tg", "tlog", "n", "ai");
        List<ChangeEvent> batch = new ArrayList<>();
        for (int i = 0; i < 3 * Applier.WINDOW; i++) {
            String t = tables.get(random.nextInt(tables.size()));
            long k = random.nextInt(40);
            boolean delete = random.nextInt(4) == 0;
            String v = "v" + random.nextInt(1000);
            Object nullableKey = random.nextInt(50) == 0 ? null : (Object) k;
            ChangeType type = delete ? ChangeType.DELETE : ChangeType.UPDATE;
            batch.add(switch (t) {
                case "w" -> ev(type, t, "a", k % 5, "b", "b" + k % 7, "v", v);
                case "r", "tlog" -> ev(type, t, "rowid", k, "msg", v);
                case "uq" -> ev(type, t, "id", k, "email", "e" + random.nextInt(20));
                case "n" -> ev(type, t, "k", "k" + k, "v", v);
                case "tg" -> ev(type, t, "id", k, "v", v);
                case "ai" -> ev(type, t, "id", delete ? k : nullableKey, "v", v);
                default -> ev(type, t, "id", delete ? k : nullableKey, "name", v);
            });
            if (random.nextInt(2_000) == 0) {
                replay(batch.toArray(ChangeEvent[]::new));
                batch.clear();
            }
        }
        replay(batch.toArray(ChangeEvent[]::new));
        assertThat(applier.coalesced()).isPositive();
        assertSameRows();
    }
}
