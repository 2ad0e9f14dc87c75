package io.tidemark.cli.bench;

import io.tidemark.backends.jetstream.JetStreamChangeSource;
import io.tidemark.backends.jetstream.NatsConnections;
import io.tidemark.backends.jetstream.NatsSecurity;
import io.tidemark.backends.local.LocalFolderSnapshotStore;
import io.tidemark.backends.local.LocalLeaseManager;
import io.tidemark.core.build.BuildOptions;
import io.tidemark.core.build.BuildResult;
import io.tidemark.core.build.BuilderWarmUp;
import io.tidemark.core.build.SnapshotBuilder;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.event.EventPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One build in its own JVM, then its peak RSS (VmHWM): the memory benchmark's child process. A sixth
 * argument {@code warm-up} runs {@link BuilderWarmUp} first, as a Build function does before its
 * SnapStart checkpoint.
 */
public final class BuildOnce {
    private BuildOnce() {}

    public static void main(String[] a) throws Exception {
        if (a.length > 5 && a[5].equals("warm-up")) {
            BuilderWarmUp.run(Path.of(a[4]));
        }
        ClusterConfig cluster = ClusterConfig.defaults().withPrefixes(a[1], a[1] + "-change").withMaxEntries(10_000_000);
        try (var nc = NatsConnections.connect(List.of(a[0]), NatsSecurity.NONE, Duration.ofSeconds(1))) {
            BuildResult r = new SnapshotBuilder(cluster, new JetStreamChangeSource(nc, cluster, false),
                    new LocalFolderSnapshotStore(Path.of(a[2])), new LocalLeaseManager(Path.of(a[3])),
                    EventPublisher.NONE, BuildOptions.builder(Path.of(a[4])).build()).build(Trigger.MANUAL, false);
            System.out.println("result " + r.outcome().wire() + ": " + r.changesApplied() + " changes in " + r.millis()
                    + " ms, steps " + r.stepMillis());
            System.out.println("millis " + r.millis());
        }
        Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .forEach(System.out::println);
    }
}
