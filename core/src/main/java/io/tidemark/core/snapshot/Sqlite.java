package io.tidemark.core.snapshot;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Opening SQLite files and the few queries every part needs. */
public final class Sqlite {
    /** Page cache per connection, in KiB: bounded so memory does not grow with the database. */
    public static final int CACHE_KIB = 64 * 1024;

    /**
     * The page cache of a build's replay over a database larger than {@link #CACHE_KIB}, in KiB.
     * Changes spread over a large database leave the cache a few percent of it either way, so a
     * larger one does not save spills (1M changes on 918 MB: replay 8.1 s with 64 MiB against
     * 7.7 s with 16 MiB) while it fills to its bound and adds to the builder's RSS (234 against
     * 186 MB). A database that fits {@link #CACHE_KIB} is cached whole instead: SQLite fills the
     * cache as it reads, so that costs at most the database, and no page is written before the
     * commit and again after it (100k changes on 50 MB: the applier 438-467 ms against 569-627 ms).
     */
    public static final int BUILD_CACHE_KIB = 16 * 1024;

    private Sqlite() {}

    /** A durable connection for a live database: WAL, synchronous=NORMAL. */
    public static Connection openLive(Path db) throws SQLException {
        Connection c = open(db);
        exec(c, "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL");
        return c;
    }

    /**
     * A fast connection for a scratch copy that is thrown away on any failure: no journal, no
     * syncs. Only ever used on files that nothing else reads until they are verified.
     */
    public static Connection openScratch(Path db) throws SQLException {
        Connection c = open(db);
        exec(c, "PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA temp_store=FILE");
        return c;
    }

    /**
     * A builder's connection to the database it replays into: no journal and no syncs (the file is
     * thrown away on any failure: its warm record is gone already; {@link PageHashes} name the pages
     * the build changed) and the build's page cache ({@link #BUILD_CACHE_KIB}). A write-ahead log,
     * which named the pages before, wrote every changed page twice: 100k changes on 50 MB replayed
     * in 0.93-1.37 s with it against 0.77-1.06 s without.
     */
    public static Connection openForBuild(Path db) throws SQLException {
        long bytes;
        try {
            bytes = java.nio.file.Files.size(db);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot read the size of " + db + ": " + e.getMessage(), e);
        }
        Connection c = open(db);
        try {
            exec(c, "PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF",
                    "PRAGMA cache_size=-" + (bytes <= CACHE_KIB * 1024L ? CACHE_KIB : BUILD_CACHE_KIB));
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    public static Connection open(Path db) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        exec(c, "PRAGMA cache_size=-" + CACHE_KIB, "PRAGMA busy_timeout=10000");
        return c;
    }

    public static void exec(Connection c, String... sqls) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
    }

    /** {@code PRAGMA quick_check}: "ok", or the problems SQLite found, joined. */
    public static String quickCheck(Connection c) throws SQLException {
        return check(c, "PRAGMA quick_check");
    }

    public static String integrityCheck(Connection c) throws SQLException {
        return check(c, "PRAGMA integrity_check");
    }

    private static String check(Connection c, String pragma) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(pragma)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("; ", lines);
    }

    /** User tables (not SQLite's, not Tidemark's or HarmonyLite's bookkeeping), sorted. */
    public static List<String> userTables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                        + " ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!isInternal(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    public static Map<String, Long> rowCounts(Connection c) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (String t : userTables(c)) {
            counts.put(t, rowCount(c, t));
        }
        return counts;
    }

    public static long rowCount(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** HarmonyLite's change-log tables and triggers, and Tidemark's position table. */
    public static boolean isInternal(String name) {
        return name.startsWith("__harmonylite__") || name.startsWith("_tidemark_");
    }

    /**
     * Deletes {@code db}'s {@code -wal}, {@code -shm} and {@code -journal}: they belong to the file
     * that was there, and SQLite would apply a stale one to the file that replaces it.
     */
    public static void deleteSidecars(java.nio.file.Path db) throws java.io.IOException {
        for (String side : new String[] {"-wal", "-shm", "-journal"}) {
            java.nio.file.Files.deleteIfExists(db.resolveSibling(db.getFileName() + side));
        }
    }
}
