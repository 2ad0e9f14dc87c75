package io.tidemark.core.build;

import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.replay.Applier;
import io.tidemark.core.replay.ReplayException;
import io.tidemark.core.replay.StreamReplayer;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.PageHashes;
import io.tidemark.core.snapshot.PageSet;
import io.tidemark.core.snapshot.SnapshotWriter;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.core.store.SnapshotStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Steps 5 and 6 of a build on a page-stable database: the changes are applied in place (no
 * journal: a failed build's file is thrown away, see {@link WarmDatabase}), the pages they changed
 * are found by comparing every page's fingerprint before and after ({@link PageHashes}, taken in
 * the pass that hashes the file for the manifest), and the snapshot is stored as those pages (a
 * {@link PageSet}) on HEAD's chain, merged into a level-1 set, or whole, as the {@link LayerPolicy}
 * says. Nothing else reads or rewrites the whole database except, for a whole-database layer, its
 * compression and {@code quick_check}.
 */
final class PageBuild {
    /**
     * @param after the fingerprints of the database as stored, for the next build
     */
    record Built(SnapshotCommitter.Prepared prepared, Map<String, Long> positions, long applied, LayerPolicy.Kind kind,
                 long changedPages, long databasePages, PageHashes after) {}

    private PageBuild() {}

    /**
     * @param known the fingerprints of {@code db} as it is (HEAD's database), when a previous build
     *              left them; otherwise they are taken first, one read of the file (not hashed:
     *              it was just checked against HEAD, or fetched from HEAD's objects)
     */
    static Built run(Path db, Optional<PageHashes> known, Manifest head, Map<String, Long> cuts, ChangeSource source,
                     ClusterConfig cluster, BuildOptions options, LeaseKeeper keeper, SnapshotStore store, Path scratch,
                     Runnable onReplayed) {
        PageHashes before = known.orElseGet(() -> fingerprints(db, head.db().rawSha256()));
        Map<String, Long> positions;
        long applied;
        Map<String, Long> tables;
        String schemaHash;
        long pageSize;
        long pages;
        long free;
        try (Connection conn = Sqlite.openForBuild(db)) {
            long pending = 0;
            for (Map.Entry<String, Long> cut : cuts.entrySet()) {
                pending += Math.max(0, cut.getValue() - head.position(cut.getKey()));
            }
            try (Applier applier = Applier.withPositionsInMemory(conn, cluster.timeZone(), head.positions())) {
                RowCounter counter = RowCounter.install(conn, pending, pragma(conn, "page_count"));
                applied = new StreamReplayer(source, cluster.compressed(), applier, options.commitEvery(),
                        options.progress(), keeper::ensureHeld, () -> { }).replay(cuts);
                applier.commit();
                positions = new TreeMap<>(applier.positions());
                tables = counter.counts(conn, head.tables(), applier.touchedTables());
            }
            conn.setAutoCommit(true);
            schemaHash = SnapshotWriter.schemaHash(conn);
            pageSize = pragma(conn, "page_size");
            pages = pragma(conn, "page_count");
            free = pragma(conn, "freelist_count");
        } catch (SQLException e) {
            throw ReplayException.of("building on " + db, e, null);
        }
        onReplayed.run();
        LayerPolicy policy = options.layers();
        if (policy.vacuums(pages, free)) {
            SnapshotWriter.Copied file = vacuumed(db, scratch, options);
            return new Built(SnapshotCommitter.Prepared.wholeStreamed(db, options.writer(), file), positions, applied,
                    LayerPolicy.Kind.FULL_VACUUMED, pages, pages, file.pages());
        }
        BitSet changed = new BitSet();
        PageHashes after = scan(db, before, changed);
        changed.set(1); // the header: change counter, page count, journal mode
        changed.clear((int) pages + 1, Math.max((int) pages + 1, changed.length()));
        LayerPolicy.Kind kind = policy.choose(head.chain(), changed.cardinality(), pages, free);
        if (kind == LayerPolicy.Kind.LEVEL1) {
            BitSet merged = mergedPages(store, head, changed, (int) pages);
            if (policy.mergeFits(merged.cardinality(), pages)) {
                changed.or(merged);
            } else {
                kind = LayerPolicy.Kind.FULL;
            }
        }
        SnapshotCommitter.Prepared prepared = switch (kind) {
            case LEVEL0, LEVEL1 -> pageSet(db, after.sha256(), head, (int) pageSize, (int) pages, changed,
                    kind == LayerPolicy.Kind.LEVEL1 ? 1 : 0, tables, schemaHash, scratch, options);
            case FULL -> whole(db, after.sha256(), tables, schemaHash, options);
            case FULL_VACUUMED -> throw new IllegalStateException("vacuumed above");
        };
        return new Built(prepared, positions, applied, kind, changed.cardinality(), pages, after);
    }

    private static PageHashes fingerprints(Path db, String sha256) {
        try {
            return PageHashes.of(db, sha256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + db, e);
        }
    }

    /** The fingerprints and sha256 of {@code db}, and the pages changed since {@code before}. */
    private static PageHashes scan(Path db, PageHashes before, BitSet changed) {
        try {
            return PageHashes.scan(db, before, changed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + db, e);
        }
    }

    /** The pages every page set on HEAD's chain holds, plus this build's. */
    private static BitSet mergedPages(SnapshotStore store, Manifest head, BitSet changed, int pages) {
        BitSet merged = (BitSet) changed.clone();
        for (Manifest.Layer layer : head.chain()) {
            if (layer.full()) {
                continue;
            }
            try (InputStream in = store.open(layer.key())) {
                merged.or(PageSet.pageNumbers(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + layer.key() + " from " + store.describe(), e);
            } catch (CorruptSnapshotException e) {
                throw new CorruptSnapshotException("HEAD's chain: " + layer.key() + ": " + e.getMessage(), e);
            }
        }
        merged.clear(pages + 1, Math.max(pages + 1, merged.length()));
        return merged;
    }

    private static SnapshotCommitter.Prepared pageSet(Path db, String sha256, Manifest head, int pageSize, int pages,
                                                      BitSet changed,
                                                      int level, Map<String, Long> tables, String schemaHash,
                                                      Path scratch, BuildOptions options) {
        String object = "pages-L" + level + ".tmpg.zst";
        Path out = scratch.resolve(object);
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ);
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            PageSet.Written w = PageSet.write(ch, pageSize, pages, changed, options.writer().level(), file);
            file.flush();
            List<Manifest.Layer> before = level == 1 ? List.of(head.chain().get(0)) : head.chain();
            return new SnapshotCommitter.Prepared(out, object, "tidemark-pages+zstd", w.bytes(), w.sha256(),
                    Files.size(db), sha256, tables, schemaHash, before, Manifest.Layer.PAGES, level);
        } catch (IOException e) {
            throw full(e, scratch);
        }
    }

    /**
     * The page-stable file stored whole, without a vacuum: its pages stay where the next page set
     * expects. Its counts and schema are known from the build; its {@code quick_check} runs beside
     * the upload (on 1 GB it takes longer than the upload), and gates publishing.
     */
    private static SnapshotCommitter.Prepared whole(Path db, String sha256, Map<String, Long> tables,
                                                    String schemaHash, BuildOptions options) {
        CompletableFuture<Void> check = SnapshotWriter.checkBeside(db);
        try {
            // Compressed while it uploads: scratch holds the database and nothing else.
            return SnapshotCommitter.Prepared.wholeChecking(db, options.writer(), Files.size(db), sha256, tables,
                    schemaHash, check);
        } catch (IOException | RuntimeException e) {
            check.exceptionally(x -> null).join(); // let it finish reading before the failure unwinds the build
            throw e instanceof IOException io ? new UncheckedIOException("cannot read " + db, io) : (RuntimeException) e;
        }
    }

    /**
     * Vacuumed into a fresh file (free pages gone), which then becomes the page-stable file; it is
     * compressed while it uploads.
     */
    private static SnapshotWriter.Copied vacuumed(Path db, Path scratch, BuildOptions options) {
        SnapshotWriter.Copied file;
        try (Connection conn = Sqlite.open(db)) {
            file = options.writer().copy(conn, scratch.resolve("out"));
        } catch (SQLException e) {
            throw ReplayException.of("opening " + db, e, null);
        }
        try {
            Sqlite.deleteSidecars(db);
            Files.move(file.raw(), db, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the vacuumed database over " + db, e);
        }
        return file;
    }

    private static long pragma(Connection conn, String name) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static RuntimeException full(IOException e, Path scratch) {
        return new UncheckedIOException("cannot write the snapshot into " + scratch.toAbsolutePath() + ": "
                + e.getMessage() + " (a full disk? free space there or point work_dir at a larger disk)", e);
    }
}
