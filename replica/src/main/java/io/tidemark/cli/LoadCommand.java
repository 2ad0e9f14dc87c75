package io.tidemark.cli;

import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.replica.TidemarkConfig;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tidemark load}: publish a seeded HarmonyLite workload, for demos and benchmarks. */
@Command(name = "load", description = "Publish HarmonyLite-format changes (creates the streams if missing);"
        + " refuses to publish past a stream's max_entries since HEAD unless --force")
final class LoadCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions options;

    @Option(names = "--changes", defaultValue = "1000", description = "how many changes; default 1000")
    long changes;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; default 1")
    long seed;

    @Option(names = "--payload-bytes", defaultValue = "32", description = "typical text/blob size; default 32")
    int payloadBytes;

    @Option(names = "--inserts-only", description = "only inserts (to grow a base)")
    boolean insertsOnly;

    @Option(names = "--force", description = "publish even past max_entries since HEAD (the next build is a gap)")
    boolean force;

    @Override
    public Integer call() {
        TidemarkConfig config = options.resolve();
        Optional<Manifest> head = force ? Optional.empty() : head(config);
        try (Wiring w = new Wiring(config)) {
            if (!force) {
                long[] perShard = new long[config.cluster().shards()];
                Supplier<WorkloadGenerator.Change> dryRun = changes(config);
                for (long i = 0; i < changes; i++) {
                    perShard[dryRun.get().shard() - 1]++;
                }
                LoadBudget.check(w.nats(), config.cluster(), perShard,
                        head.map(Manifest::positions).orElse(Map.of()), head.map(Manifest::id).orElse(null));
            }
            long t0 = System.nanoTime();
            WorkloadPublisher.publish(w.nats(), config.cluster(), changes(config), changes);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("published %,d changes to %s in %.2f s (%,.0f/s)%n", changes,
                    config.cluster().streamNames(), secs, changes / secs);
            return ExitCodes.OK;
        }
    }

    /** The same seed gives the same changes: the dry run counts exactly what the publish sends. */
    private Supplier<WorkloadGenerator.Change> changes(TidemarkConfig config) {
        WorkloadGenerator gen = new WorkloadGenerator(config.cluster(), seed, payloadBytes);
        return insertsOnly ? gen::insert : gen::next;
    }

    private static Optional<Manifest> head(TidemarkConfig config) {
        try (Wiring w = Wiring.readOnly(config)) {
            return Catalog.readHead(w.store).map(h -> Catalog.manifest(w.store, h.head().snapshot(),
                    h.head().manifestSha256()).manifest());
        } catch (MissingStoreException noStore) {
            return Optional.empty();
        }
    }
}
