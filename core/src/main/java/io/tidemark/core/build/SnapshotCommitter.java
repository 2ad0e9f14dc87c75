package io.tidemark.core.build;

import io.tidemark.core.lease.LeaseKeeper;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.manifest.ManifestCodec;
import io.tidemark.core.manifest.SnapshotId;
import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.ProgressInputStream;
import io.tidemark.core.snapshot.SnapshotFile;
import io.tidemark.core.snapshot.SnapshotWriter;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Steps 7 and 8 of a build, shared by the builder, seeding, a replica's full snapshot and rollback:
 * upload the database and then the manifest, each only if absent, then move HEAD by compare-and-set,
 * refusing when HEAD carries a newer lease token or when a stream's position would go backwards.
 */
public final class SnapshotCommitter {
    private static final int CAS_ATTEMPTS = 5;

    private final SnapshotStore store;
    private final Clock clock;
    private final BuildListener listener;
    private final Progress progress;

    public SnapshotCommitter(SnapshotStore store, Clock clock, BuildListener listener, Progress progress) {
        this.store = store;
        this.clock = clock;
        this.listener = listener;
        this.progress = progress;
    }

    /** A snapshot that is stored and HEAD. */
    public record Committed(Manifest manifest, String manifestSha256, Head head, BootCopy.Result bootCopy) {
        Committed withBootCopy(BootCopy.Result result) {
            return new Committed(manifest, manifestSha256, head, result);
        }
    }

    /** What is being committed, apart from the file. */
    public record Origin(String cluster, Manifest.BaseRef base, Trigger trigger, String builder,
                         long changesApplied, long startedNanos) {}

    /**
     * The object a snapshot writes, on local disk, and what the manifest says of the database.
     * {@code before} is the chain it goes on (empty for a database stored whole).
     */
    public record Prepared(java.nio.file.Path upload, String object, String encoding, long bytes, String sha256,
                           long rawBytes, String rawSha256, Map<String, Long> tables, String schemaHash,
                           java.util.List<Manifest.Layer> before, String kind, int level, Streamed streamed) {
        /** An object written already: {@code upload} holds its {@code bytes}. */
        public Prepared(java.nio.file.Path upload, String object, String encoding, long bytes, String sha256,
                        long rawBytes, String rawSha256, Map<String, Long> tables, String schemaHash,
                        java.util.List<Manifest.Layer> before, String kind, int level) {
            this(upload, object, encoding, bytes, sha256, rawBytes, rawSha256, tables, schemaHash, before, kind, level,
                    null);
        }

        /** A database stored whole, as format 1, from its compressed file. */
        public static Prepared whole(SnapshotFile f) {
            return new Prepared(f.compressed(), StoreLayout.DATABASE, "zstd", f.bytes(), f.sha256(), f.rawBytes(),
                    f.rawSha256(), f.tables(), f.schemaHash(), java.util.List.of(), Manifest.Layer.FULL, 0);
        }

        /**
         * A database stored whole, as format 1, compressed by {@code writer} while it uploads: no
         * compressed file on disk; its size and sha256 are known once it is stored. {@code c} is
         * what {@link SnapshotWriter#copy} found of {@code raw}.
         */
        public static Prepared wholeStreamed(java.nio.file.Path raw, SnapshotWriter writer, SnapshotWriter.Copied c) {
            return new Prepared(raw, StoreLayout.DATABASE, "zstd", -1, null, c.rawBytes(), c.rawSha256(),
                    c.checked().tables(), c.checked().schemaHash(), java.util.List.of(), Manifest.Layer.FULL, 0,
                    new Streamed(writer, CompletableFuture.completedFuture(null)));
        }

        /**
         * As {@link #wholeStreamed}, for a database whose counts and schema hash the build knows
         * already, while {@code check} (its {@code quick_check}, {@link SnapshotWriter#checkBeside})
         * still runs: the upload overlaps it, and the snapshot is published only if it passes.
         */
        public static Prepared wholeChecking(java.nio.file.Path raw, SnapshotWriter writer, long rawBytes,
                                             String rawSha256, Map<String, Long> tables, String schemaHash,
                                             CompletableFuture<Void> check) {
            return new Prepared(raw, StoreLayout.DATABASE, "zstd", -1, null, rawBytes, rawSha256, tables, schemaHash,
                    java.util.List.of(), Manifest.Layer.FULL, 0, new Streamed(writer, check));
        }
    }

    /** A database compressed by {@code writer} as it uploads, published only once {@code check} passes. */
    public record Streamed(SnapshotWriter writer, CompletableFuture<Void> check) {}

    /** What went up: the object's size and sha256. */
    private record Uploaded(long bytes, String sha256) {}

    public Committed commit(SnapshotFile file, Map<String, Long> positions, Origin origin, LeaseKeeper keeper) {
        return commit(Prepared.whole(file), positions, origin, keeper);
    }

    public Committed commit(Prepared p, Map<String, Long> positions, Origin origin, LeaseKeeper keeper) {
        try {
            return publish(p, positions, origin, keeper);
        } finally {
            if (p.streamed() != null) {
                p.streamed().check().exceptionally(x -> null).join(); // done reading before the builder moves on
            }
        }
    }

    private Committed publish(Prepared p, Map<String, Long> positions, Origin origin, LeaseKeeper keeper) {
        Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String id = SnapshotId.of(createdAt, p.rawSha256());
        // Ids sort by time to the second, then by hash. A snapshot built within HEAD's second could
        // sort before HEAD (or, the same database again, collide with it): the id's second moves on
        // until it sorts after HEAD, so listing and retention by id see snapshots in build order.
        String floor;
        try {
            floor = Catalog.readHead(store).map(h -> h.head().snapshot()).orElse(null);
        } catch (io.tidemark.core.manifest.InvalidHeadException e) {
            floor = null; // moveHead decides what happens to a damaged HEAD
        }
        while (store.stat(StoreLayout.manifestKey(id)).isPresent() || floor != null && id.compareTo(floor) <= 0) {
            createdAt = createdAt.plusSeconds(1);
            id = SnapshotId.of(createdAt, p.rawSha256());
        }
        keeper.ensureHeld();
        Uploaded up = uploadChecked(p, StoreLayout.SNAPSHOTS + id + "/" + p.object());
        listener.reached(BuildStep.DATABASE_UPLOADED);
        java.util.List<Manifest.Layer> layers = null;
        int format = Manifest.FORMAT;
        if (!p.before().isEmpty() || !Manifest.Layer.FULL.equals(p.kind())) {
            layers = new java.util.ArrayList<>(p.before());
            layers.add(new Manifest.Layer(id, p.object(), p.kind(), p.level(), up.bytes(), up.sha256()));
            format = Manifest.LAYERED_FORMAT;
        }
        Manifest manifest = new Manifest(format, id, createdAt, origin.cluster(), positions, origin.base(),
                new Manifest.DbInfo(p.object(), p.encoding(), up.bytes(), up.sha256(), p.rawBytes(), p.rawSha256()),
                layers, p.schemaHash(), p.tables(),
                new Manifest.BuildInfo(origin.trigger().wire(), origin.builder(), keeper.token(),
                        origin.changesApplied(), (System.nanoTime() - origin.startedNanos()) / 1_000_000,
                        Version.CURRENT));
        byte[] json = ManifestCodec.write(manifest);
        store.putIfAbsent(StoreLayout.manifestKey(id), new ByteArrayInputStream(json), json.length);
        listener.reached(BuildStep.MANIFEST_UPLOADED);
        String sha = Hashing.sha256(json);
        Head head = moveHead(id, sha, positions, keeper, false);
        listener.reached(BuildStep.HEAD_MOVED);
        return new Committed(manifest, sha, head, null);
    }

    /**
     * Uploads the object, then waits for the check that ran beside the upload. A failed check
     * removes the object it vouched for (nothing names it yet) and stops the build.
     */
    private Uploaded uploadChecked(Prepared p, String key) {
        Uploaded up = upload(p, key);
        try {
            awaitCheck(p);
        } catch (RuntimeException e) {
            try {
                store.delete(key);
            } catch (RuntimeException left) {
                e.addSuppressed(left); // an unnamed object: retention's orphan sweep takes it
            }
            throw e;
        }
        return up;
    }

    private static void awaitCheck(Prepared p) {
        if (p.streamed() == null) {
            return;
        }
        SnapshotWriter.join(p.streamed().check());
    }

    /** Uploads the object only if absent: the file as it is, or the raw file compressed on the way. */
    private Uploaded upload(Prepared p, String key) {
        if (p.streamed() == null) {
            try (InputStream body = new ProgressInputStream(Files.newInputStream(p.upload()), "upload", p.bytes(),
                    progress)) {
                store.putIfAbsent(key, body, p.bytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p.upload(), e);
            }
            return new Uploaded(p.bytes(), p.sha256());
        }
        java.security.MessageDigest digest = Hashing.sha256();
        try (InputStream zst = p.streamed().writer().compressing(p.upload());
             CountingInputStream counted = new CountingInputStream(new java.security.DigestInputStream(zst, digest))) {
            store.putIfAbsent(key, new ProgressInputStream(counted, "upload", -1, progress), SnapshotStore.UNKNOWN_LENGTH);
            if (counted.read() >= 0) {
                throw new IllegalStateException("the store stopped reading " + key + " before its end");
            }
            return new Uploaded(counted.count, Hashing.hex(digest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress " + p.upload() + " into " + key + ": " + e.getMessage(), e);
        }
    }

    /** Counts what the store took, for the manifest's {@code bytes}. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }

    /**
     * Records that {@code id} has been HEAD (the marker holds the HEAD that named it). Best effort:
     * HEAD has moved already, and a missing marker only leaves retention to HEAD's base chain.
     */
    private void markHeaded(String id, byte[] head) {
        try {
            store.putIfAbsent(StoreLayout.headedKey(id), new ByteArrayInputStream(head), head.length);
        } catch (io.tidemark.core.store.ObjectExistsException again) {
            // HEAD again after a rollback: marked already
        } catch (RuntimeException e) {
            // the store refused a small write right after HEAD moved; the next HEAD move's chain covers it
        }
    }

    /**
     * Points HEAD at {@code id}. Unless {@code rollback}, no stream's position may go backwards.
     * Either way HEAD must not carry a newer lease token than ours.
     */
    public Head moveHead(String id, String manifestSha256, Map<String, Long> positions, LeaseKeeper keeper,
                         boolean rollback) {
        for (int attempt = 1; ; attempt++) {
            keeper.ensureHeld();
            Optional<Catalog.VersionedHead> current;
            String expected;
            try {
                current = Catalog.readHead(store);
                expected = current.map(Catalog.VersionedHead::version).orElse(null);
            } catch (io.tidemark.core.manifest.InvalidHeadException e) {
                if (!rollback) {
                    throw e;
                }
                // Only an operator's rollback replaces a HEAD that cannot be read.
                current = Optional.empty();
                expected = store.read(StoreLayout.HEAD).map(SnapshotStore.Versioned::version).orElse(null);
            }
            if (current.isPresent()) {
                Head now = current.get().head();
                if (now.leaseToken() > keeper.token()) {
                    throw new StaleLeaderException("HEAD is " + now.snapshot() + " moved with lease token "
                            + now.leaseToken() + ", newer than ours (" + keeper.token() + "): snapshot " + id
                            + " stays stored but is not HEAD");
                }
                if (!rollback) {
                    Manifest headManifest = Catalog.headManifest(store, now).manifest();
                    for (Map.Entry<String, Long> e : headManifest.positions().entrySet()) {
                        long ours = positions.getOrDefault(e.getKey(), 0L);
                        if (ours < e.getValue()) {
                            throw new StaleLeaderException("snapshot " + id + " holds " + e.getKey() + " up to seq "
                                    + ours + " but HEAD " + now.snapshot() + " already holds seq " + e.getValue()
                                    + ": HEAD moves backwards only by rollback");
                        }
                    }
                }
            }
            Head next = Head.sealed(id, manifestSha256, keeper.token(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
            try {
                byte[] json = ManifestCodec.write(next);
                store.compareAndSet(StoreLayout.HEAD, json, expected);
                markHeaded(id, json);
                return next;
            } catch (PreconditionFailedException e) {
                if (attempt >= CAS_ATTEMPTS) {
                    throw e;
                }
                // HEAD changed between our read and write: re-read and re-check the rules.
            }
        }
    }
}
