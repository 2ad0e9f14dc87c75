package io.tidemark.core.replay;

/** SQLite refused a change while replaying it; names the stream and sequence range. */
public class ReplayException extends RuntimeException {
    private static final int SQLITE_FULL = 13;

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What SQLite refused while doing {@code what}; a full disk (SQLITE_FULL) says so and names the
     * database file, instead of SQLite's generic text.
     */
    public static ReplayException of(String what, java.sql.SQLException e, java.sql.Connection conn) {
        if (isFull(e)) {
            String file = fileOf(conn);
            return new ReplayException("disk full while " + what + ": no room to grow " + file + " (free space in "
                    + java.nio.file.Path.of(file).toAbsolutePath().getParent() + ", or point work_dir at a larger disk)",
                    e);
        }
        return new ReplayException(what + ": " + e.getMessage(), e);
    }

    /** True when SQLite gave up because the file cannot grow (SQLITE_FULL). */
    public static boolean isFull(java.sql.SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && ((s.getErrorCode() & 0xff) == SQLITE_FULL
                    || String.valueOf(s.getMessage()).contains("SQLITE_FULL"))) {
                return true;
            }
        }
        return false;
    }

    private static String fileOf(java.sql.Connection conn) {
        if (conn == null) {
            return "the database";
        }
        try {
            return conn.getMetaData().getURL().replaceFirst("^jdbc:sqlite:(file:)?", "").replaceFirst("\\?.*$", "");
        } catch (java.sql.SQLException e) {
            return "the database";
        }
    }
}
