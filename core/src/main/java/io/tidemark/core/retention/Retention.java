package io.tidemark.core.retention;

import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.manifest.SnapshotId;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreLayout;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Applies a {@link RetentionPolicy} to a store. */
public final class Retention {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private Retention() {}

    /** The time encoded in a snapshot id. */
    public static Instant timeOf(String id) {
        return LocalDateTime.parse(id.substring(0, 16), STAMP).toInstant(ZoneOffset.UTC);
    }

    /** Ids to keep among {@code complete} (oldest first), given HEAD. */
    public static Set<String> keep(List<String> complete, String headId, RetentionPolicy policy) {
        Set<String> keep = new HashSet<>();
        if (headId != null) {
            keep.add(headId);
        }
        List<String> newestFirst = new ArrayList<>(complete);
        java.util.Collections.reverse(newestFirst);
        newestFirst.stream().limit(policy.keepLast()).forEach(keep::add);
        keep.addAll(newestPerBucket(newestFirst, policy.daily(), t -> t.toLocalDate().toString()));
        keep.addAll(newestPerBucket(newestFirst, policy.weekly(),
                t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        keep.addAll(newestPerBucket(newestFirst, policy.monthly(), t -> t.getYear() + "-" + t.getMonthValue()));
        return keep;
    }

    /** Complete snapshots that have been HEAD: marked ones, and HEAD with its whole base chain. */
    private static Set<String> headed(SnapshotStore store, Map<String, List<String>> keysById, Set<String> complete,
                                      String headId) {
        Set<String> headed = new TreeSet<>();
        for (String id : complete) {
            if (keysById.get(id).contains(StoreLayout.headedKey(id))) {
                headed.add(id);
            }
        }
        Set<String> seen = new HashSet<>();
        for (String id = headId; id != null && complete.contains(id) && seen.add(id); id = baseOf(store, id)) {
            headed.add(id);
        }
        return headed;
    }

    /**
     * The snapshots whose objects the chains of {@code keep} are built from: a page set is useless
     * without the layers under it, so keeping a snapshot keeps every snapshot its chain names.
     */
    private static Set<String> layerOwners(SnapshotStore store, Set<String> keep, Set<String> complete) {
        Set<String> owners = new TreeSet<>();
        for (String id : keep) {
            if (complete.contains(id)) {
                for (Manifest.Layer layer : Catalog.manifest(store, id, null).manifest().chain()) {
                    owners.add(layer.snapshot());
                }
            }
        }
        return owners;
    }

    private static String baseOf(SnapshotStore store, String id) {
        Manifest m = Catalog.manifest(store, id, null).manifest();
        return m.base() == null ? null : m.base().id();
    }

    private static List<String> newestPerBucket(List<String> newestFirst, int buckets,
                                                Function<LocalDateTime, String> bucketOf) {
        Map<String, String> firstInBucket = new LinkedHashMap<>();
        for (String id : newestFirst) {
            if (firstInBucket.size() >= buckets && !firstInBucket.containsKey(bucketOf.apply(at(id)))) {
                break;
            }
            firstInBucket.putIfAbsent(bucketOf.apply(at(id)), id);
        }
        return new ArrayList<>(firstInBucket.values());
    }

    private static LocalDateTime at(String id) {
        return LocalDateTime.ofInstant(timeOf(id), ZoneOffset.UTC);
    }

    /**
     * Deletes what the policy does not keep and is older than its grace period. The policy ranks only
     * snapshots that have been HEAD (marked, or on HEAD's base chain); an upload that never became
     * HEAD (a build that failed after uploading), a partial upload and a folder without a manifest
     * are garbage once past the grace period. Manifests go first, so a half-deleted snapshot never
     * looks complete. Returns the ids removed.
     */
    public static List<String> apply(SnapshotStore store, String headId, RetentionPolicy policy, Instant now) {
        Map<String, List<String>> keysById = new TreeMap<>();
        TreeSet<String> complete = new TreeSet<>();
        for (String key : store.list(StoreLayout.SNAPSHOTS)) {
            String id = StoreLayout.idOf(key);
            if (id == null || !SnapshotId.isValid(id)) {
                continue; // not ours: leave it alone
            }
            keysById.computeIfAbsent(id, k -> new ArrayList<>()).add(key);
            if (key.equals(StoreLayout.manifestKey(id))) {
                complete.add(id);
            }
        }
        store.removeAbandoned(now.minus(policy.grace()));
        Set<String> headed = headed(store, keysById, complete, headId);
        Set<String> keep = keep(new ArrayList<>(headed), headId, policy);
        keep.addAll(layerOwners(store, keep, complete));
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : keysById.entrySet()) {
            String id = e.getKey();
            if (keep.contains(id) || timeOf(id).isAfter(now.minus(policy.grace()))) {
                continue;
            }
            List<String> keys = new ArrayList<>(e.getValue());
            keys.sort((a, b) -> Boolean.compare(!a.endsWith(StoreLayout.MANIFEST), !b.endsWith(StoreLayout.MANIFEST)));
            keys.forEach(store::delete);
            removed.add(id);
        }
        return removed;
    }
}
