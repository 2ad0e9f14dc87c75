package io.tidemark.cli;

import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.SnapshotCommitter;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.change.SeqMap;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Head;
import io.tidemark.core.manifest.ManifestCodec;
import io.tidemark.core.restore.Verifier;
import io.tidemark.core.retention.Retention;
import io.tidemark.replica.TidemarkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tidemark snapshot ...}: seed, build, list, show, restore, verify, rollback, prune. */
@Command(name = "snapshot", description = "Build, inspect, restore and roll back snapshots",
        subcommands = {SnapshotCommand.Seed.class, SnapshotCommand.Build.class, ListCommand.class,
                SnapshotCommand.Show.class, RestoreCommand.class, SnapshotCommand.Verify.class,
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

            @Option(names = "--over-head", description = "seed even though the cluster has a HEAD: the way past a gap"
                    + " when a node's database holds the changes the stream lost (HEAD moves only forwards)")
            boolean overHead;
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
                    c = w.publisher().seedFromDatabase(source.fromDb.db, positions, source.fromDb.overHead);
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

        @Option(names = "--rebase", description = "store the whole database this time, so HEAD no longer depends on"
                + " its chain of page sets (after `snapshot verify` names a damaged object); with --force, even"
                + " when nothing is new")
        boolean rebase;

        @Option(names = "--json", description = "one JSON document: outcome, snapshotId, positions, steps, ...")
        boolean json;

        @Override
        public Integer call() {
            try (Wiring w = new Wiring(options.resolve())) {
                BuildResult r = w.builder(TerminalProgress.forConsole(), rebase ? io.tidemark.core.build.LayerPolicy.REBASE
                        : io.tidemark.core.build.LayerPolicy.DEFAULT).build(Trigger.fromWire(trigger), force);
                if (json) {
                    Map<String, Object> out = new LinkedHashMap<>(r.detail());
                    out.put("stepMillis", r.stepMillis());
                    Json.print(out);
                } else {
                    System.out.println(Output.describe(r));
                }
                return switch (r.outcome()) {
                    case CREATED, SKIPPED -> ExitCodes.OK;
                    case GAP -> ExitCodes.GAP;
                    case LEASE_HELD -> ExitCodes.LEASE_HELD;
                    case FAILED -> ExitCodes.FAILED;
                };
            }
        }
    }

    @Command(name = "show", description = "Print a snapshot's manifest")
    static final class Show implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Parameters(arity = "0..1", paramLabel = "ID", description = "snapshot id; default HEAD")
        String id;

        @Option(names = "--id", description = "the same as the positional ID")
        void idOption(String value) {
            id = value;
        }

        @Option(names = "--json", description = "one JSON document: {manifest, manifestSha256}")
        boolean json;

        @Override
        public Integer call() throws IOException {
            try (Wiring w = Wiring.readOnly(options.resolve())) {
                Catalog.StoredManifest m = Catalog.manifestOrHead(w.store, id);
                if (json) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("manifest", Json.MAPPER.readTree(ManifestCodec.write(m.manifest())));
                    out.put("manifestSha256", m.sha256());
                    Json.print(out);
                    return ExitCodes.OK;
                }
                System.out.println(new String(ManifestCodec.write(m.manifest()), StandardCharsets.UTF_8));
                System.out.println("manifest sha256: " + m.sha256());
                return 0;
            }
        }
    }

    @Command(name = "verify", description = "Restore test: hashes, integrity_check, row counts")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ClusterOptions options;

        @Parameters(arity = "0..1", paramLabel = "ID", description = "snapshot id; default HEAD")
        String id;

        @Option(names = "--id", description = "the same as the positional ID")
        void idOption(String value) {
            id = value;
        }

        @Option(names = "--json", description = "one JSON document: {snapshotId, ok, problem, tables, millis}")
        boolean json;

        @Override
        public Integer call() {
            TidemarkConfig config = options.resolve();
            try (Wiring w = Wiring.readOnly(config)) {
                Verifier.Verification v = id == null ? Verifier.verifyHead(w.store, config.workDir())
                        : Verifier.verify(w.store, id, null, config.workDir());
                if (json) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("snapshotId", v.snapshotId());
                    out.put("ok", v.ok());
                    out.put("problem", v.problem());
                    out.put("tables", v.tables());
                    out.put("millis", v.millis());
                    Json.print(out);
                    return v.ok() ? ExitCodes.OK : ExitCodes.FAILED;
                }
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
