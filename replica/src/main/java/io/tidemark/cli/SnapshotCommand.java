package io.tidemark.cli;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.SnapshotCommitter;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.change.SeqMap;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.manifest.ManifestCodec;
import io.tidemark.core.manifest.NoHeadException;
import io.tidemark.core.restore.Restorer;
import io.tidemark.core.restore.Verifier;
import io.tidemark.core.retention.Retention;
import io.tidemark.replica.TidemarkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tidemark snapshot ...}: seed, build, list, show, restore, verify, rollback, prune. */
@Command(name = "snapshot", description = "Build, inspect, restore and roll back snapshots",
        subcommands = {SnapshotCommand.Seed.class, SnapshotCommand.Build.class, SnapshotCommand.ListSnapshots.class,
                SnapshotCommand.Show.class, SnapshotCommand.Restore.class, SnapshotCommand.Verify.class,
                SnapshotCommand.Rollback.class, SnapshotCommand.Prune.class})
final class SnapshotCommand {
    private SnapshotCommand() {}

    @Command(name = "seed", description = "Publish a cluster's first snapshot, from a node's database or a schema")
    static final class Seed implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @ArgGroup(exclusive = false)
            FromDb fromDb;

            @Option(names = "--schema", required = true, description = "SQL file with the schema; every table empty")
            Path schema;
        }

        static final class FromDb {
            @Option(names = "--db", required = true, description = "a node's SQLite database")
            Path db;

            @Option(names = "--seq-map", description = "the node's seq-map.cbor (positions it has applied)")
            Path seqMap;
        }

        @Override
        public Integer call() throws IOException {
            Path input = source.schema != null ? source.schema : source.fromDb.db;
            if (!Files.isRegularFile(input)) {
                throw new IllegalArgumentException("no file " + input + " (--" + (source.schema != null ? "schema" : "db")
                        + "); examples/schema.sql is the schema `tidemark load` writes");
            }
            try (Wiring w = new Wiring(options.resolve())) {
                SnapshotCommitter.Committed c;
                if (source.schema != null) {
                    c = w.publisher().seedFromSchema(Files.readString(source.schema, StandardCharsets.UTF_8));
                } else {
                    Map<String, Long> positions = source.fromDb.seqMap == null ? Map.of()
                            : SeqMap.read(source.fromDb.seqMap);
                    c = w.publisher().seedFromDatabase(source.fromDb.db, positions);
                }
                System.out.printf("seeded %s: %,d rows in %d tables, positions %s, HEAD moved%n", c.manifest().id(),
                        c.manifest().totalRows(), c.manifest().tables().size(), c.manifest().positions());
                if (c.bootCopy() != null) {
                    System.out.println(Output.bootCopy(c.bootCopy()));
                }
                return 0;
            }
        }
    }

    @Command(name = "build", description = "Build a snapshot from HEAD plus the stream since")
    static final class Build implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Option(names = "--force", description = "build even when nothing is new")
        boolean force;

        @Option(names = "--trigger", defaultValue = "manual", description = "recorded trigger; default manual")
        String trigger;

        @Override
        public Integer call() {
            try (Wiring w = new Wiring(options.resolve())) {
                BuildResult r = w.builder(TerminalProgress.forConsole()).build(Trigger.fromWire(trigger), force);
                System.out.println(Output.describe(r));
                return switch (r.outcome()) {
                    case CREATED, SKIPPED -> ExitCodes.OK;
                    case GAP -> ExitCodes.GAP;
                    case LEASE_HELD -> ExitCodes.LEASE_HELD;
                    case FAILED -> ExitCodes.FAILED;
                };
            }
        }
    }

    @Command(name = "list", description = "List snapshots, oldest first; HEAD is marked")
    static final class ListSnapshots implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Override
        public Integer call() {
            try (Wiring w = Wiring.readOnly(options.resolve())) {
                Optional<Catalog.VersionedHead> head = Catalog.readHead(w.store);
                String headId = head.map(h -> h.head().snapshot()).orElse(null);
                List<String> ids = Catalog.snapshotIds(w.store);
                System.out.printf("%-4s %-29s %-9s %12s %12s  %s%n", "", "ID", "TRIGGER", "ROWS", "BYTES", "POSITIONS");
                for (String id : ids) {
                    Manifest m = Catalog.manifest(w.store, id, null).manifest();
                    System.out.printf("%-4s %-29s %-9s %,12d %,12d  %s%n", id.equals(headId) ? "HEAD" : "", id,
                            m.build() == null ? "" : m.build().trigger(), m.totalRows(), m.db().bytes(), m.positions());
                }
                if (ids.isEmpty()) {
                    System.out.println("(no snapshots in " + w.store.describe() + ")");
                }
                return 0;
            }
        }
    }

    @Command(name = "show", description = "Print a snapshot's manifest")
    static final class Show implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Parameters(arity = "0..1", description = "snapshot id; default HEAD")
        String id;

        @Override
        public Integer call() {
            try (Wiring w = Wiring.readOnly(options.resolve())) {
                Catalog.StoredManifest m = Catalog.manifestOrHead(w.store, id);
                System.out.println(new String(ManifestCodec.write(m.manifest()), StandardCharsets.UTF_8));
                System.out.println("manifest sha256: " + m.sha256());
                return 0;
            }
        }
    }

    @Command(name = "restore", description = "Restore a snapshot's database to a path (verified, atomic);"
            + " an existing target is refused unless --force")
    static final class Restore implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Option(names = "--id", description = "snapshot id; default HEAD")
        String id;

        @Option(names = "--to", description = "target database path; default the configured db_path")
        Path to;

        @Option(names = "--force", description = "replace an existing target database (and its seq-map.cbor)")
        boolean force;

        @Option(names = "--if-db-not-exists", description = "exit 0 doing nothing when the target already exists")
        boolean ifDbNotExists;

        @Option(names = "--if-replica-exists", description = "exit 0 doing nothing when the store has no snapshot")
        boolean ifReplicaExists;

        @Override
        public Integer call() {
            TidemarkConfig config = options.resolve();
            Path target = to != null ? to : config.dbPath();
            if (Files.exists(target) && !force) {
                if (ifDbNotExists) {
                    System.out.println("nothing restored: " + target + " exists (--if-db-not-exists)");
                    return ExitCodes.OK;
                }
                throw new IllegalArgumentException("target " + target + " exists; --force replaces it,"
                        + " --if-db-not-exists leaves it and exits 0");
            }
            try (Wiring w = Wiring.readOnly(config)) {
                Catalog.StoredManifest m = Catalog.manifestOrHead(w.store, id);
                long t0 = System.nanoTime();
                Restorer.restore(w.store, m.manifest(), target, TerminalProgress.forConsole());
                SeqMap.write(target.resolveSibling("seq-map.cbor"), m.manifest().positions());
                System.out.printf("restored %s to %s (%,d bytes, %d ms); positions %s written to %s%n",
                        m.manifest().id(), target, m.manifest().db().rawBytes(), (System.nanoTime() - t0) / 1_000_000,
                        m.manifest().positions(), target.resolveSibling("seq-map.cbor"));
                return ExitCodes.OK;
            } catch (MissingStoreException | NoHeadException e) {
                if (ifReplicaExists && id == null) {
                    System.out.println("nothing restored: " + CliErrors.message(e) + " (--if-replica-exists)");
                    return ExitCodes.OK;
                }
                throw e;
            }
        }
    }

    @Command(name = "verify", description = "Restore test: hashes, integrity_check, row counts")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Parameters(arity = "0..1", description = "snapshot id; default HEAD")
        String id;

        @Override
        public Integer call() {
            TidemarkConfig config = options.resolve();
            try (Wiring w = Wiring.readOnly(config)) {
                Verifier.Verification v = id == null ? Verifier.verifyHead(w.store, config.workDir())
                        : Verifier.verify(w.store, id, null, config.workDir());
                System.out.println(v.ok() ? "verified " + v.snapshotId() + ": " + v.tables() + " in " + v.millis() + " ms"
                        : "FAILED " + v.snapshotId() + ": " + v.problem());
                return v.ok() ? 0 : 1;
            }
        }
    }

    @Command(name = "rollback", description = "Point HEAD back at an older snapshot (fresh lease token)")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Parameters(description = "snapshot id")
        String id;

        @Override
        public Integer call() {
            try (Wiring w = new Wiring(options.resolve())) {
                Head h = w.publisher().rollback(id);
                System.out.println("HEAD is now " + h.snapshot() + " (lease token " + h.leaseToken() + ")");
                return 0;
            }
        }
    }

    @Command(name = "prune", description = "Apply the retention policy now")
    static final class Prune implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Override
        public Integer call() {
            TidemarkConfig config = options.resolve();
            try (Wiring w = new Wiring(config)) {
                String head = Catalog.requireHead(w.store).head().snapshot();
                List<String> removed = Retention.apply(w.store, head, config.retention(), java.time.Instant.now());
                System.out.println(removed.isEmpty() ? "nothing to remove" : "removed " + removed);
                return 0;
            }
        }
    }
}
