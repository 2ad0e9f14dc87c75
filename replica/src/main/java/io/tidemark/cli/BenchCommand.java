package io.tidemark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tidemark bench}: see {@link io.tidemark.cli.bench.Benchmarks}. */
@Command(name = "bench", description = "Measure build, catch-up, snapshot write/restore and memory beside baselines")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("not yet");
        return 1;
    }
}
