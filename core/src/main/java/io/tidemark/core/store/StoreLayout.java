package io.tidemark.core.store;

/** The keys every backend uses, as DESIGN.md lays them out. */
public final class StoreLayout {
    public static final String HEAD = "HEAD.json";
    public static final String SNAPSHOTS = "snapshots/";
    public static final String MANIFEST = "manifest.json";
    public static final String DATABASE = "db.sqlite.zst";
    /** Optional plain copy of HEAD's database, where HarmonyLite nodes look for one. */
    public static final String PLAIN_COPY = "snapshot.db";

    private StoreLayout() {}

    public static String manifestKey(String id) {
        return SNAPSHOTS + id + "/" + MANIFEST;
    }

    /**
     * An empty marker written once a snapshot has been HEAD: retention ranks only such snapshots
     * (and HEAD's base chain); uploads that never became HEAD are garbage after the grace period.
     */
    public static String headedKey(String id) {
        return SNAPSHOTS + id + "/" + HEADED;
    }

    public static final String HEADED = "was-head";

    public static String databaseKey(String id) {
        return SNAPSHOTS + id + "/" + DATABASE;
    }

    /** The snapshot id in a key under {@code snapshots/}, or null for any other key. */
    public static String idOf(String key) {
        if (!key.startsWith(SNAPSHOTS)) {
            return null;
        }
        int slash = key.indexOf('/', SNAPSHOTS.length());
        return slash < 0 ? null : key.substring(SNAPSHOTS.length(), slash);
    }
}
