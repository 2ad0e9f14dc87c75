package io.tidemark.cycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.LayerPolicy;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.restore.Restorer;
import io.tidemark.core.restore.Verifier;
import io.tidemark.core.retention.Retention;
import io.tidemark.core.retention.RetentionPolicy;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.snapshot.PageHashes;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.Sqlite;
import io.tidemark.fixtures.nats.NatsServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Page-level incremental snapshots on a real nats-server: each build stores the pages it changed on
 * HEAD's chain, a run of level-0 sets is merged into one level-1 set, a restore rebuilds the exact
 * database the manifest hashes, and a fresh builder (no warm database) continues the same chain.
 */
class PageChainIT {
    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    private static final LayerPolicy POLICY = new LayerPolicy(3, 0.5, 0.25);

    @Test
    void buildsStoreChangedPages_mergeAtTheBound_andRestoreToTheHashedDatabase() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 2, true, 71)) {
            h.seed();
            h.publish(40_000);
            Path work = h.dir.resolve("work-a");
            assertThat(build(h, work).outcome()).isEqualTo(BuildResult.Outcome.CREATED);
            Manifest first = head(h);
            // The seed was stored whole; this build changed most of a tiny database: whole again.
            long wholeBytes = first.db().bytes();

            List<Manifest> chain = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                h.publish(40);
                BuildResult r = build(h, work);
                assertThat(r.outcome()).isEqualTo(BuildResult.Outcome.CREATED);
                assertThat(r.message()).contains("on the warm database");
                chain.add(head(h));
                // The next build compares against the fingerprints of the database HEAD now holds.
                assertThat(PageHashes.load(warmDir(work).resolve("db.pages"), head(h).db().rawSha256())).isPresent();
            }
            // Builds 1-3 append level-0 sets; the 4th would be the 4th level 0, so it merges into level 1.
            assertThat(kinds(chain.get(0))).containsExactly("full:0", "pages:0");
            assertThat(kinds(chain.get(2))).containsExactly("full:0", "pages:0", "pages:0", "pages:0");
            assertThat(kinds(chain.get(3))).containsExactly("full:0", "pages:1");
            assertThat(kinds(chain.get(4))).containsExactly("full:0", "pages:1", "pages:0");
            assertThat(chain.get(0).format()).isEqualTo(Manifest.LAYERED_FORMAT);
            assertThat(chain.get(0).db().bytes()).isLessThan(wholeBytes / 4);
            for (Manifest m : chain) {
                assertThat(m.chain().get(0).snapshot()).isEqualTo(first.id());
            }

            // A restore rebuilds the hashed database and equals a replay of every change from seq 1.
            Path restored = h.dir.resolve("restored.db");
            Restorer.restore(h.store, chain.get(4), restored, Progress.NONE);
            assertThat(Hashing.sha256(restored)).isEqualTo(chain.get(4).db().rawSha256());
            assertThat(ClusterHarness.digest(restored)).isEqualTo(h.fullReplay("full"));
            for (Manifest m : chain) {
                Verifier.Verification v = Verifier.verify(h.store, m.id(), null, h.dir.resolve("verify"));
                assertThat(v.problem()).isNull();
                assertThat(v.tables()).isEqualTo(m.tables());
            }

            // A builder elsewhere (no warm database) rebuilds HEAD from its chain and goes on.
            h.publish(100);
            BuildResult cold = build(h, h.dir.resolve("work-b"));
            assertThat(cold.message()).contains("on HEAD fetched");
            assertThat(kinds(head(h))).containsExactly("full:0", "pages:1", "pages:0", "pages:0");
            assertThat(h.restoreAndCatchUp("replica")).isEqualTo(h.fullReplay("full2"));
        }
    }

    @Test
    void aWarmDatabaseThatNoLongerMatchesHead_isRebuilt_notTrusted() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 72)) {
            h.seed();
            h.publish(20_000);
            Path work = h.dir.resolve("work");
            build(h, work);
            h.publish(100);
            build(h, work);
            // Someone changes the warm file behind the builder's back (same size, new time).
            Path warm = warmDir(work).resolve("db.sqlite");
            try (var c = Sqlite.open(warm)) {
                Sqlite.exec(c, "UPDATE users SET balance = balance + 1");
            }
            h.publish(100);
            BuildResult r = build(h, work);
            assertThat(r.message()).contains("on HEAD fetched");
            assertThat(Verifier.verifyHead(h.store, h.dir.resolve("verify")).ok()).isTrue();
            assertThat(h.restoreAndCatchUp("replica")).isEqualTo(h.fullReplay("full"));
        }
    }

    @Test
    void damagedOrForeignPageFingerprints_areNotTrusted_theBuildReadsTheFileFirst() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 74)) {
            h.seed();
            h.publish(20_000);
            Path work = h.dir.resolve("work");
            build(h, work);
            Path pages = warmDir(work).resolve("db.pages");
            byte[] first = Files.readAllBytes(pages);
            h.publish(100);
            build(h, work);
            // A damaged file, then a valid one describing the previous database: both are ignored.
            for (byte[] planted : List.of(new byte[] {1, 2, 3}, first)) {
                Files.write(pages, planted);
                h.publish(100);
                BuildResult r = build(h, work);
                assertThat(r.message()).contains("level-0 page set").contains("on the warm database");
                assertThat(PageHashes.load(pages, head(h).db().rawSha256())).isPresent();
                assertThat(Verifier.verifyHead(h.store, h.dir.resolve("verify")).ok()).isTrue();
            }
            assertThat(h.restoreAndCatchUp("replica")).isEqualTo(h.fullReplay("full"));
        }
    }

    @Test
    void aDamagedPageSet_failsRestoreAndVerify_namingTheObject() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 73)) {
            h.seed();
            h.publish(20_000);
            build(h, h.dir.resolve("work"));
            h.publish(50);
            build(h, h.dir.resolve("work"));
            Manifest m = head(h);
            Manifest.Layer pages = m.chain().get(m.chain().size() - 1);
            assertThat(pages.kind()).isEqualTo(Manifest.Layer.PAGES);
            Path object = h.dir.resolve("store").resolve(pages.key());
            byte[] bytes = Files.readAllBytes(object);
            bytes[bytes.length / 2] ^= 0x5a;
            object.toFile().setWritable(true);
            Files.write(object, bytes);

            Path target = h.dir.resolve("target.db");
            Files.writeString(target, "keep me");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Restorer.restore(h.store, m, target, Progress.NONE))
                    .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining(pages.key());
            assertThat(Files.readString(target)).isEqualTo("keep me");
            Verifier.Verification v = Verifier.verify(h.store, m.id(), null, h.dir.resolve("verify"));
            assertThat(v.ok()).isFalse();
            assertThat(v.problem()).contains(pages.key());
        }
    }

    @Test
    void retentionKeepsEverySnapshotWhoseObjectsAKeptChainUses() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 74)) {
            h.seed();
            h.publish(20_000);
            Path work = h.dir.resolve("work");
            build(h, work);
            String full = head(h).id();
            for (int i = 0; i < 3; i++) {
                h.publish(50);
                build(h, work);
            }
            Manifest headManifest = head(h);
            assertThat(headManifest.chain()).hasSize(4);
            List<String> removed = Retention.apply(h.store, headManifest.id(),
                    new RetentionPolicy(1, 0, 0, 0, Duration.ZERO), Instant.now().plusSeconds(5));
            for (Manifest.Layer layer : headManifest.chain()) {
                assertThat(removed).doesNotContain(layer.snapshot());
                assertThat(h.store.stat(layer.key())).isPresent();
            }
            assertThat(removed).isNotEmpty(); // the seed is on no kept chain
            assertThat(removed).doesNotContain(full);
            assertThat(h.restoreAndCatchUp("replica")).isEqualTo(h.fullReplay("full"));
        }
    }

    @Test
    void rollbackToAnEarlierPageSet_thenTheNextBuildGoesOnFromItsChain() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 76)) {
            h.seed();
            h.publish(20_000);
            Path work = h.dir.resolve("work");
            build(h, work);
            h.publish(50);
            build(h, work);
            Manifest older = head(h);
            for (int i = 0; i < 2; i++) {
                h.publish(50);
                build(h, work);
            }
            h.publisher().rollback(older.id());
            assertThat(head(h).id()).isEqualTo(older.id());
            h.publish(50);
            BuildResult r = build(h, work);
            // The warm database is two snapshots past HEAD now: it is rebuilt from HEAD's chain.
            assertThat(r.message()).contains("on HEAD fetched");
            Manifest next = head(h);
            assertThat(next.base().id()).isEqualTo(older.id());
            assertThat(next.chain().subList(0, older.chain().size())).isEqualTo(older.chain());
            assertThat(Verifier.verifyHead(h.store, h.dir.resolve("verify")).ok()).isTrue();
            // The stream still holds what the rolled-back builds applied: the next build replays it again.
            assertThat(r.changesApplied()).isEqualTo(150);
            assertThat(h.restoreAndCatchUp("replica")).isEqualTo(h.fullReplay("full"));
        }
    }

    @Test
    void manyDeletes_leaveFreePages_andTheNextBuildVacuumsIntoAWholeDatabase() throws Exception {
        try (ClusterHarness h = new ClusterHarness(nats, 1, false, 75)) {
            h.seed();
            h.publish(20_000);
            Path work = h.dir.resolve("work");
            build(h, work);
            long before = head(h).db().rawBytes();
            io.tidemark.fixtures.workload.WorkloadPublisher.publish(h.nc, h.cluster, h.generator::delete, 5_000);
            BuildResult r = build(h, work);
            assertThat(r.message()).contains("whole database, vacuumed");
            Manifest m = head(h);
            assertThat(m.format()).isEqualTo(Manifest.FORMAT);
            assertThat(m.db().rawBytes()).isLessThan(before);
            // The vacuumed file's fingerprints were taken with its sha256: the next build needs no extra read.
            assertThat(PageHashes.load(warmDir(work).resolve("db.pages"), m.db().rawSha256())).isPresent();
            h.publish(50);
            assertThat(build(h, work).message()).contains("on the warm database");
            assertThat(Verifier.verifyHead(h.store, h.dir.resolve("verify")).ok()).isTrue();
            assertThat(h.restoreAndCatchUp("replica")).isEqualTo(h.fullReplay("full"));
        }
    }

    private static BuildResult build(ClusterHarness h, Path work) {
        return h.build(work, POLICY, false);
    }

    private static Manifest head(ClusterHarness h) {
        return Catalog.headManifest(h.store, Catalog.requireHead(h.store).head()).manifest();
    }

    private static List<String> kinds(Manifest m) {
        return m.chain().stream().map(l -> l.kind() + ":" + l.level()).toList();
    }

    private static Path warmDir(Path work) throws java.io.IOException {
        try (var files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().startsWith("warm-")).findFirst().orElseThrow();
        }
    }
}
