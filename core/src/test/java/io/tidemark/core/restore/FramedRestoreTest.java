package io.tidemark.core.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.DigestThread;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.snapshot.PageSet;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.SnapshotWriter;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full layers as independent zstd frames, decoded on a pool, and full layers written before as one frame. */
class FramedRestoreTest {
    private static final int PAGE = 4096;
    private static final int FRAME = 256 << 10; // small frames: a few MiB of database make many
    private static final String FULL_ID = "20260101T000000Z-0123456789ab";
    private static final String L1_ID = "20260101T000100Z-0123456789ac";
    private static final String L2_ID = "20260101T000200Z-0123456789ad";

    @TempDir
    Path dir;

    private final RestorerTest.MapStore store = new RestorerTest.MapStore();

    @Test
    void restore_readsFramesOnBothCores_byteIdenticalAndHashChecked() throws Exception {
        byte[] raw = database(700, 1); // 2.8 MB: 11 frames
        byte[] zst = framed(raw);
        assertThat(frames(zst)).hasSize(11).allSatisfy(f -> assertThat(f.contentSize()).isLessThanOrEqualTo(FRAME));
        Manifest m = whole(raw, zst);
        Path target = dir.resolve("node.db");

        Restorer.restore(store, m, target, Progress.NONE);

        assertThat(Files.readAllBytes(target)).isEqualTo(raw);
    }

    @Test
    void restore_ofAChainOverAFramedFullLayer_patchesPagesAsTheFramesStream() throws Exception {
        byte[] base = database(700, 2);
        byte[] grown = change(base, 703, 3, 2, 64, 65, 300, 701, 702, 703); // page 64/65 straddle a frame edge
        byte[] last = change(grown, 690, 4, 1, 5, 300, 689); // shrinks: pages past 690 dropped
        Manifest m = chain(framed(base), grown, pages(2, 64, 65, 300, 701, 702, 703), last, pages(1, 5, 300, 689));
        Path target = dir.resolve("node.db");

        Restorer.restore(store, m, target, Progress.NONE);

        assertThat(Files.readAllBytes(target)).isEqualTo(last);
    }

    @Test
    void restore_aCorruptFrameInTheMiddle_namesTheObject_andLeavesTheTargetAsItWas() throws Exception {
        byte[] raw = database(700, 5);
        byte[] zst = framed(raw);
        Manifest m = whole(raw, zst); // the manifest records the object as uploaded; then a bit flips
        ZstdFrames.Frame middle = frames(zst).get(5);
        zst[(int) (middle.offset() + middle.length() / 2)] ^= 0x20;
        Path target = dir.resolve("node.db");
        Files.writeString(target, "the old database");

        assertThatThrownBy(() -> Restorer.restore(store, m, target, Progress.NONE))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("snapshots/" + FULL_ID + "/db.sqlite.zst");
        assertThat(Files.readString(target)).isEqualTo("the old database");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void chainRestore_aCorruptFrameInTheFullLayer_namesTheObject_andLeavesTheTargetAsItWas() throws Exception {
        byte[] base = database(700, 6);
        byte[] next = change(base, 700, 7, 3, 9);
        byte[] zst = framed(base);
        Manifest m = chain(zst, next, pages(3, 9), null, null);
        ZstdFrames.Frame middle = frames(zst).get(4);
        zst[(int) (middle.offset() + middle.length() / 3)] ^= 0x01;
        Path target = dir.resolve("node.db");
        Files.writeString(target, "the old database");

        assertThatThrownBy(() -> Restorer.restore(store, m, target, Progress.NONE))
                .isInstanceOf(CorruptSnapshotException.class)
                .hasMessageContaining("snapshots/" + FULL_ID + "/db.sqlite.zst");
        assertThat(Files.readString(target)).isEqualTo("the old database");
    }

    @Test
    void restore_ofAnEmptyDatabase_oneEmptyFrame_isAnEmptyFile() throws Exception {
        byte[] zst = framed(new byte[0]);
        Path target = dir.resolve("node.db");

        Restorer.restore(store, whole(new byte[0], zst), target, Progress.NONE);

        assertThat(Files.size(target)).isZero();
    }

    @Test
    void restore_ofAnObjectWrittenBeforeFrames_oneStreamingFrame_isAsBefore() throws Exception {
        byte[] raw = database(700, 8);
        byte[] zst = singleFrame(raw);
        assertThat(ZstdFrames.firstContentSize(new BufferedInputStream(new ByteArrayInputStream(zst)))).isEqualTo(-1);
        Path target = dir.resolve("node.db");

        Restorer.restore(store, whole(raw, zst), target, Progress.NONE);

        assertThat(Files.readAllBytes(target)).isEqualTo(raw);
    }

    @Test
    void chainRestore_overAFullLayerWrittenBeforeFrames_isAsBefore() throws Exception {
        byte[] base = database(700, 9);
        byte[] next = change(base, 702, 10, 1, 256, 701, 702);
        Manifest m = chain(singleFrame(base), next, pages(1, 256, 701, 702), null, null);
        Path target = dir.resolve("node.db");

        Restorer.restore(store, m, target, Progress.NONE);

        assertThat(Files.readAllBytes(target)).isEqualTo(next);
    }

    @Test
    void patcher_takesBytesCutAnywhere_inAnyOrder_notOnlyOnPageEdges() throws Exception {
        byte[] base = database(40, 11);
        byte[] want = change(base, 43, 12, 1, 7, 8, 40, 41, 42, 43);
        Path patch = dir.resolve("patch");
        Path rebuilt = dir.resolve("rebuilt");
        long[] at = new long[44];
        try (FileChannel ch = FileChannel.open(patch, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileChannel out = FileChannel.open(rebuilt, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             DigestThread hasher = new DigestThread()) {
            long written = 0;
            for (int p : new int[] {1, 7, 8, 40, 41, 42, 43}) {
                ch.write(java.nio.ByteBuffer.wrap(want, (p - 1) * PAGE, PAGE), written);
                at[p] = written + 1;
                written += PAGE;
            }
            Patcher patcher = new Patcher(out, ch, at, PAGE, 43);
            // Chunks of 1000 bytes, written back to front, hashed front to back.
            List<byte[]> chunks = new ArrayList<>();
            for (int off = 0; off < base.length; off += 1000) {
                chunks.add(Arrays.copyOfRange(base, off, Math.min(base.length, off + 1000)));
            }
            for (int i = chunks.size() - 1; i >= 0; i--) {
                patcher.place(chunks.get(i), chunks.get(i).length, i * 1000L);
            }
            chunks.forEach(c -> add(hasher, c));
            patcher.finish(base.length, hasher);
            assertThat(hasher.finish()).isEqualTo(sha(want));
            assertThat(hasher.bytes()).isEqualTo(want.length);
        }
        assertThat(Files.readAllBytes(rebuilt)).isEqualTo(want);
    }

    private static void add(DigestThread hasher, byte[] chunk) {
        try {
            hasher.add(chunk, 0, chunk.length, null);
        } catch (java.io.InterruptedIOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void fetchBase_ofOneFullLayer_trustsTheObjectHash_butAChainIsStillCheckedWhole() throws Exception {
        byte[] raw = database(300, 7);
        byte[] zst = framed(raw);
        Manifest wrongRaw = withRawSha(whole(raw, zst), "0".repeat(64)); // a manifest whose raw hash lies
        Path base = dir.resolve("base.db");

        assertThatThrownBy(() -> Restorer.download(store, wrongRaw, base, Progress.NONE))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("sha256");
        Restorer.fetchBase(store, wrongRaw, base, Progress.NONE); // not hashed raw: the object's sha256 covers it
        assertThat(Files.readAllBytes(base)).isEqualTo(raw);

        byte[] damaged = zst.clone();
        damaged[damaged.length / 2] ^= 0x40;
        store.objects.put("snapshots/" + FULL_ID + "/db.sqlite.zst", damaged);
        assertThatThrownBy(() -> Restorer.fetchBase(store, wrongRaw, base, Progress.NONE))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("db.sqlite.zst");

        byte[] next = change(raw, 300, 8, 3, 150);
        Manifest chained = withRawSha(chain(zst, next, pages(3, 150), null, null), "0".repeat(64));
        assertThatThrownBy(() -> Restorer.fetchBase(store, chained, base, Progress.NONE))
                .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("sha256");
        assertThat(base).doesNotExist();
    }

    private static Manifest withRawSha(Manifest m, String rawSha) {
        Manifest.DbInfo d = m.db();
        return new Manifest(m.format(), m.id(), m.createdAt(), m.cluster(), m.positions(), m.base(),
                new Manifest.DbInfo(d.object(), d.encoding(), d.bytes(), d.sha256(), d.rawBytes(), rawSha), m.layers(),
                m.schemaHash(), m.tables(), m.build());
    }

    // --- fixtures

    /** Pages that compress somewhat: text, a page number, random bytes. */
    private static byte[] database(int pages, long seed) {
        Random r = new Random(seed);
        byte[] db = new byte[pages * PAGE];
        for (int p = 0; p < pages; p++) {
            byte[] text = ("page " + p + " of a test database ").repeat(60).getBytes();
            System.arraycopy(text, 0, db, p * PAGE, Math.min(text.length, 2048));
            byte[] noise = new byte[1024];
            r.nextBytes(noise);
            System.arraycopy(noise, 0, db, p * PAGE + 2048, noise.length);
        }
        return db;
    }

    /** {@code db} resized to {@code pages} with the given pages rewritten. */
    private static byte[] change(byte[] db, int pages, long seed, int... changed) {
        byte[] out = Arrays.copyOf(db, pages * PAGE);
        Random r = new Random(seed);
        for (int p : changed) {
            byte[] page = new byte[PAGE];
            r.nextBytes(page);
            System.arraycopy(page, 0, out, (p - 1) * PAGE, PAGE);
        }
        return out;
    }

    private static BitSet pages(int... numbers) {
        BitSet b = new BitSet();
        Arrays.stream(numbers).forEach(b::set);
        return b;
    }

    private byte[] framed(byte[] raw) throws Exception {
        Path in = dir.resolve("raw.tmp");
        Path out = dir.resolve("raw.tmp.zst");
        Files.write(in, raw);
        new SnapshotWriter(1, 2, FRAME).compress(in, out);
        byte[] zst = Files.readAllBytes(out);
        Files.delete(in);
        Files.delete(out);
        return zst;
    }

    /** A full layer as Tidemark wrote it before frames: one streaming frame, no content size. */
    private static byte[] singleFrame(byte[] raw) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(b, 1)) {
            z.setWorkers(2);
            for (int off = 0; off < raw.length; off += 1 << 20) {
                z.write(raw, off, Math.min(1 << 20, raw.length - off));
            }
        }
        return b.toByteArray();
    }

    private static List<ZstdFrames.Frame> frames(byte[] zst) throws Exception {
        ZstdFrames cut = new ZstdFrames(new ByteArrayInputStream(zst), FrameInflater.MAX_FRAME, byte[]::new);
        List<ZstdFrames.Frame> all = new ArrayList<>();
        for (ZstdFrames.Frame f; (f = cut.next()) != null; ) {
            all.add(f);
        }
        return all;
    }

    private Manifest whole(byte[] raw, byte[] zst) {
        store.objects.put("snapshots/" + FULL_ID + "/db.sqlite.zst", zst);
        return new Manifest(Manifest.FORMAT, FULL_ID, Instant.EPOCH, "c", Map.of(), null,
                new Manifest.DbInfo("db.sqlite.zst", "zstd", zst.length, sha(zst), raw.length, sha(raw)), "h",
                Map.of(), null);
    }

    /** A full layer, then one or two level-0 page sets over it; {@code second} may be null. */
    private Manifest chain(byte[] fullZst, byte[] first, BitSet firstPages, byte[] second, BitSet secondPages)
            throws Exception {
        List<Manifest.Layer> layers = new ArrayList<>();
        store.objects.put("snapshots/" + FULL_ID + "/db.sqlite.zst", fullZst);
        layers.add(new Manifest.Layer(FULL_ID, "db.sqlite.zst", Manifest.Layer.FULL, 0, fullZst.length, sha(fullZst)));
        layers.add(pageSet(L1_ID, first, firstPages));
        byte[] result = first;
        if (second != null) {
            layers.add(pageSet(L2_ID, second, secondPages));
            result = second;
        }
        Manifest.Layer own = layers.get(layers.size() - 1);
        return new Manifest(Manifest.LAYERED_FORMAT, own.snapshot(), Instant.EPOCH, "c", Map.of(), null,
                new Manifest.DbInfo(own.object(), "tidemark-pages+zstd", own.bytes(), own.sha256(), result.length,
                        sha(result)), layers, "h", Map.of(), null);
    }

    private Manifest.Layer pageSet(String id, byte[] db, BitSet changed) throws Exception {
        Path file = dir.resolve("layer.tmp");
        Files.write(file, db);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            PageSet.write(ch, PAGE, db.length / PAGE, changed, 1, out);
        }
        Files.delete(file);
        byte[] set = out.toByteArray();
        store.objects.put("snapshots/" + id + "/pages-L0.tmpg.zst", set);
        return new Manifest.Layer(id, "pages-L0.tmpg.zst", Manifest.Layer.PAGES, 0, set.length, sha(set));
    }

    private static String sha(byte[] b) {
        return Hashing.sha256(b);
    }
}
