package io.tidemark.core.build;

import io.tidemark.core.manifest.Manifest;
import java.util.List;

/**
 * How a build stores its database: as the pages it changed (a level-0 page set on HEAD's chain), as
 * one level-1 page set merging every page set since the chain's full database (once the run of
 * level 0s reaches {@code maxLevel0}), or whole (when the pages to store pass {@code fullRatio} of
 * the database, or free pages pass {@code vacuumRatio}: then it is vacuumed first). A restore so
 * reads at most {@code maxLevel0 + 2} objects, and a build uploads in proportion to what changed,
 * with a full upload only once changes since the last full one reach {@code fullRatio}.
 */
public record LayerPolicy(int maxLevel0, double fullRatio, double vacuumRatio) {
    public static final LayerPolicy DEFAULT = new LayerPolicy(8, 0.5, 0.25);
    /** Every build stores the whole database, vacuumed (format 1, as before page sets). */
    public static final LayerPolicy FULL_ONLY = new LayerPolicy(0, 0, 0);

    /**
     * This build stores the whole database (from the warm copy when there is one, unvacuumed), so
     * HEAD stops depending on its chain: after a failed verify of a stored object, or to cut a chain.
     */
    public static final LayerPolicy REBASE = new LayerPolicy(DEFAULT.maxLevel0, 0, DEFAULT.vacuumRatio);

    public LayerPolicy {
        if (maxLevel0 < 0 || fullRatio < 0 || fullRatio > 1 || vacuumRatio < 0 || vacuumRatio > 1) {
            throw new IllegalArgumentException("layer policy out of range: " + maxLevel0 + ", " + fullRatio + ", "
                    + vacuumRatio);
        }
    }

    public boolean fullOnly() {
        return maxLevel0 == 0;
    }

    /** What one build writes. */
    public enum Kind { LEVEL0, LEVEL1, FULL, FULL_VACUUMED }

    /** The first choice, before the pages of a merge are known. */
    public Kind choose(List<Manifest.Layer> chain, long changedPages, long databasePages, long freePages) {
        if (vacuums(databasePages, freePages)) {
            return Kind.FULL_VACUUMED;
        }
        if (changedPages > fullRatio * databasePages) {
            return Kind.FULL;
        }
        int level0 = 0;
        for (int i = chain.size() - 1; i > 0 && chain.get(i).level() == 0; i--) {
            level0++;
        }
        return level0 + 1 > maxLevel0 ? Kind.LEVEL1 : Kind.LEVEL0;
    }

    /** Whether this build stores the database vacuumed, whatever it changed. */
    public boolean vacuums(long databasePages, long freePages) {
        return fullOnly() || freePages > vacuumRatio * databasePages;
    }

    /** Whether a merged page set of {@code mergedPages} is still worth storing instead of the whole database. */
    public boolean mergeFits(long mergedPages, long databasePages) {
        return mergedPages <= fullRatio * databasePages;
    }
}
