package io.tidemark.cli;

import io.tidemark.core.change.SeqMap;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.NoHeadException;
import io.tidemark.core.restore.PointInTime;
import io.tidemark.core.restore.Restorer;
import io.tidemark.replica.TidemarkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tidemark snapshot restore}: a verified, atomic restore that never overwrites by accident. */
@Command(name = "restore", description = "Restore a snapshot's database to a path (verified, atomic);"
        + " an existing target is refused unless --force")
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions options;

    @Option(names = "--id", description = "snapshot id; default HEAD (the same as the positional ID)")
    String idOption;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "snapshot id; default HEAD")
    String idParameter;

    private String id;

    @Option(names = "--to", description = "target database path; default the configured db_path")
    Path to;

    @Option(names = "--force", description = "replace an existing target database (and its seq-map.cbor)")
    boolean force;

    @Option(names = "--if-db-not-exists", description = "exit 0 doing nothing when the target already exists")
    boolean ifDbNotExists;

    @Option(names = "--if-replica-exists", description = "exit 0 doing nothing when the store has no snapshot")
    boolean ifReplicaExists;

    @Option(names = "--json", description = "one JSON document: {restored, snapshotId, target, ...} or {restored: false, reason}")
    boolean json;

    @Option(names = "--at", description = "point in time (ISO-8601, e.g. 2026-12-02T06:00:00Z): the newest snapshot at"
            + " or before it, then the stream replayed up to it")
    java.time.Instant at;

    @Option(names = "--to-seq", split = ",", paramLabel = "STREAM=SEQ", description = "restore exactly up to these"
            + " stream sequences (other streams stay at the snapshot's): the newest snapshot at or before them, then"
            + " the stream replayed")
    Map<String, Long> toSeq;

    @Override
    public Integer call() {
        if (idOption != null && idParameter != null && !idOption.equals(idParameter)) {
            throw new IllegalArgumentException("two snapshot ids: " + idParameter + " and --id " + idOption);
        }
        id = idOption != null ? idOption : idParameter;
        TidemarkConfig config = options.resolve();
        Path target = to != null ? to : config.dbPath();
        if (Files.exists(target) && !force) {
            if (ifDbNotExists) {
                return nothing(target + " exists (--if-db-not-exists)");
            }
            throw new IllegalArgumentException("target " + target + " exists; --force replaces it,"
                    + " --if-db-not-exists leaves it and exits 0");
        }
        if (at != null || toSeq != null) {
            return pointInTime(config, target);
        }
        try (Wiring w = Wiring.readOnly(config)) {
            Catalog.StoredManifest m = Catalog.manifestOrHead(w.store, id);
            long t0 = System.nanoTime();
            Restorer.restore(w.store, m.manifest(), target, TerminalProgress.forConsole());
            Path seqMap = target.resolveSibling("seq-map.cbor");
            SeqMap.write(seqMap, m.manifest().positions());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("restored", true);
                out.put("snapshotId", m.manifest().id());
                out.put("target", target.toString());
                out.put("bytes", m.manifest().db().rawBytes());
                out.put("millis", millis);
                out.put("positions", m.manifest().positions());
                out.put("seqMap", seqMap.toString());
                Json.print(out);
            } else {
                System.out.printf("restored %s to %s (%,d bytes, %d ms); positions %s written to %s%n",
                        m.manifest().id(), target, m.manifest().db().rawBytes(), millis, m.manifest().positions(),
                        seqMap);
            }
            return ExitCodes.OK;
        } catch (MissingStoreException | NoHeadException e) {
            if (ifReplicaExists && id == null) {
                return nothing(CliErrors.message(e) + " (--if-replica-exists)");
            }
            throw e;
        }
    }

    private int pointInTime(TidemarkConfig config, Path target) {
        if (id != null || at != null && toSeq != null) {
            throw new IllegalArgumentException("name one point: a snapshot ID, --at or --to-seq");
        }
        try (Wiring w = Wiring.readOnly(config)) {
            long t0 = System.nanoTime();
            PointInTime.Restored r = PointInTime.restore(w.store, w.source(), config.cluster(),
                    at != null ? PointInTime.Point.at(at) : PointInTime.Point.sequences(toSeq), target,
                    TerminalProgress.forConsole());
            Path seqMap = target.resolveSibling("seq-map.cbor");
            SeqMap.write(seqMap, r.positions());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("restored", true);
                out.put("snapshotId", r.snapshotId());
                out.put("replayed", r.replayed());
                out.put("target", target.toString());
                out.put("millis", millis);
                out.put("positions", r.positions());
                out.put("seqMap", seqMap.toString());
                Json.print(out);
            } else {
                System.out.printf("restored %s plus %,d changes to %s (%d ms); positions %s written to %s%n",
                        r.snapshotId(), r.replayed(), target, millis, r.positions(), seqMap);
            }
            return ExitCodes.OK;
        }
    }

    private int nothing(String reason) {
        if (json) {
            Json.print(Map.of("restored", false, "reason", reason));
        } else {
            System.out.println("nothing restored: " + reason);
        }
        return ExitCodes.OK;
    }
}
