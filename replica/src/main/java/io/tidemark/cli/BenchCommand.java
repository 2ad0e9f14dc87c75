package io.tidemark.cli;

import io.tidemark.cli.bench.BenchRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tidemark bench}: every figure of BENCHMARKS.md, each beside its baseline from the same run. */
@Command(name = "bench", description = "Measure build, catch-up, snapshot write/restore and memory beside baselines")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = ".tidemark/bench", description = "scratch folder; default .tidemark/bench")
    Path dir;

    @Option(names = "--changes", defaultValue = "100000", description = "changes per build; default 100000")
    long changes;

    @Option(names = "--catchup-changes", defaultValue = "300000",
            description = "changes for the replica catch-up; default 300000 (a replica back from downtime)")
    long catchupChanges;

    @Option(names = "--base-mb", defaultValue = "50", description = "base database for the build; default 50")
    int baseMb;

    @Option(names = "--large-mb", defaultValue = "1024", description = "database for write/restore/memory; default 1024")
    int largeMb;

    @Option(names = "--function-mb", defaultValue = "2048",
            description = "memory of the Build function the memory bench sizes its builders for; default 2048 (its default)")
    int functionMb;

    @Option(names = "--only", description = "build, pages, bootcopy, catchup, harmonylite, io or memory (default all)")
    String only;

    @Override
    public Integer call() throws Exception {
        return BenchRunner.run(dir, changes, catchupChanges, baseMb, largeMb, functionMb, only);
    }
}
