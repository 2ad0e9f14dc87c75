package io.tidemark.core.manifest;

import io.tidemark.core.snapshot.Hashing;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Reads HEAD and manifests from a store and checks them against their hashes. */
public final class Catalog {
    private static final int MAX_MANIFEST_BYTES = 4 << 20;

    private Catalog() {}

    /** HEAD with the store version it was read at. */
    public record VersionedHead(Head head, String version) {}

    /** A manifest and the sha256 of its stored bytes. */
    public record StoredManifest(Manifest manifest, String sha256) {}

    public static Optional<VersionedHead> readHead(SnapshotStore store) {
        return store.read(StoreLayout.HEAD).map(v -> new VersionedHead(
                ManifestCodec.readHead(v.content(), store.describe() + "/" + StoreLayout.HEAD), v.version()));
    }

    public static VersionedHead requireHead(SnapshotStore store) {
        return readHead(store).orElseThrow(() -> new NoHeadException(store.describe()));
    }

    /** HEAD's manifest, verified against the hash HEAD records. */
    public static StoredManifest headManifest(SnapshotStore store, Head head) {
        return manifest(store, head.snapshot(), head.manifestSha256());
    }

    /** The manifest of {@code id}, or HEAD's (verified against HEAD's hash) when {@code id} is null. */
    public static StoredManifest manifestOrHead(SnapshotStore store, String id) {
        return id == null ? headManifest(store, requireHead(store).head()) : manifest(store, id, null);
    }

    /**
     * Reads a manifest; when {@code expectedSha256} is given, its bytes must hash to it. Checks that
     * the manifest's id is the id it is stored under.
     */
    public static StoredManifest manifest(SnapshotStore store, String id, String expectedSha256) {
        SnapshotId.requireValid(id);
        String key = StoreLayout.manifestKey(id);
        byte[] bytes;
        try (InputStream in = store.open(key)) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES);
        } catch (ObjectNotFoundException e) {
            throw new InvalidManifestException("snapshot " + id + " has no manifest in " + store.describe(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + " from " + store.describe(), e);
        }
        String sha = Hashing.sha256(bytes);
        if (expectedSha256 != null && !expectedSha256.equals(sha)) {
            throw new InvalidManifestException("manifest of snapshot " + id + " has sha256 " + sha
                    + " but HEAD or its successor records " + expectedSha256 + ": it was altered or replaced");
        }
        Manifest m = ManifestCodec.readManifest(bytes, store.describe() + "/" + key);
        if (!id.equals(m.id())) {
            throw new InvalidManifestException(key + " names snapshot " + m.id() + ", not " + id);
        }
        return new StoredManifest(m, sha);
    }

    /** Snapshot ids with a manifest, oldest first. */
    public static List<String> snapshotIds(SnapshotStore store) {
        TreeSet<String> ids = new TreeSet<>();
        for (String key : store.list(StoreLayout.SNAPSHOTS)) {
            String id = StoreLayout.idOf(key);
            if (id != null && key.endsWith("/" + StoreLayout.MANIFEST)) {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }
}
