package io.tidemark.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the benchmarks in order and prints the machine first. */
public final class BenchRunner {
    private BenchRunner() {}

    public static int run(Path dir, long changes, long catchupChanges, int baseMb, int largeMb, int functionMb,
                          String only) throws Exception {
        Files.createDirectories(dir);
        Figures out = new Figures();
        System.out.printf("machine: %d cores, %d MB max heap, %s %s, java %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        if (only == null || only.equals("build")) {
            Benchmarks.build(dir.resolve("build"), out, changes, baseMb);
        }
        if (only == null || only.equals("pages")) {
            PageBuildBench.run(dir.resolve("pages"), out, baseMb, largeMb, 10_000);
        }
        if (only == null || only.equals("bootcopy")) {
            BootCopyBench.run(dir.resolve("bootcopy"), out, largeMb, 10_000);
        }
        if (only == null || only.equals("catchup")) {
            Benchmarks.catchUp(dir.resolve("catchup"), out, catchupChanges, 3_000);
        }
        if (only == null || only.equals("harmonylite")) {
            HarmonyLiteCatchUpBench.run(dir.resolve("harmonylite"), out, Math.min(catchupChanges, 50_000));
        }
        if (only == null || only.equals("io") || only.equals("memory")) {
            Path large = SnapshotIoBench.makeDatabase(dir, largeMb);
            if (only == null || only.equals("io")) {
                SnapshotIoBench.writeAndRestore(dir.resolve("io"), out, large);
            }
            if (only == null || only.equals("memory")) {
                SnapshotIoBench.peakMemory(dir.resolve("memory"), out, large, new long[] {100_000, 1_000_000}, functionMb);
            }
            Files.deleteIfExists(large);
        }
        return 0;
    }
}
