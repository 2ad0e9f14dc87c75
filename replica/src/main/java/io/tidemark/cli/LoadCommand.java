package io.tidemark.cli;

import io.tidemark.fixtures.workload.WorkloadGenerator;
import io.tidemark.fixtures.workload.WorkloadPublisher;
import io.tidemark.replica.TidemarkConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tidemark load}: publish a seeded HarmonyLite workload, for demos and benchmarks. */
@Command(name = "load", description = "Publish HarmonyLite-format changes (creates the streams if missing)")
final class LoadCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions options;

    @Option(names = "--changes", defaultValue = "10000", description = "how many changes; default 10000")
    long changes;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; default 1")
    long seed;

    @Option(names = "--payload-bytes", defaultValue = "32", description = "typical text/blob size; default 32")
    int payloadBytes;

    @Option(names = "--inserts-only", description = "only inserts (to grow a base)")
    boolean insertsOnly;

    @Override
    public Integer call() {
        TidemarkConfig config = options.resolve();
        try (Wiring w = new Wiring(config)) {
            WorkloadGenerator gen = new WorkloadGenerator(config.cluster(), seed, payloadBytes);
            long t0 = System.nanoTime();
            WorkloadPublisher.publish(w.nats(), config.cluster(), insertsOnly ? gen::insert : gen::next, changes);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("published %,d changes to %s in %.2f s (%,.0f/s)%n", changes,
                    config.cluster().streamNames(), secs, changes / secs);
            return 0;
        }
    }
}
