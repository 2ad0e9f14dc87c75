package io.tidemark.cli;

import io.tidemark.core.change.MalformedChangeException;
import io.tidemark.core.change.SequenceGapException;
import io.tidemark.core.manifest.InvalidManifestException;
import io.tidemark.core.manifest.NoHeadException;
import io.tidemark.core.snapshot.CorruptSnapshotException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tidemark} command. */
@Command(name = "tidemark", mixinStandardHelpOptions = true, version = "tidemark 0.1.0",
        description = "Snapshots for SQLite clusters replicated over NATS JetStream",
        subcommands = {SnapshotCommand.class, ReplicaCommand.class, LoadCommand.class, DemoCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class TidemarkCli {
    private TidemarkCli() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 ok, 1 failed, 2 bad input. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new TidemarkCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Known failures get one clear line, not a stack trace.
            String kind = e instanceof IllegalArgumentException ? "bad input"
                    : e instanceof NoHeadException ? "no snapshot"
                    : e instanceof SequenceGapException ? "gap"
                    : e instanceof io.tidemark.core.manifest.InvalidHeadException ? "corrupt HEAD"
                    : e instanceof CorruptSnapshotException || e instanceof InvalidManifestException ? "corrupt snapshot"
                    : e instanceof MalformedChangeException ? "malformed change"
                    : null;
            if (kind == null) {
                cmd.getErr().println("tidemark: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                if (System.getenv("TIDEMARK_DEBUG") != null) {
                    e.printStackTrace(cmd.getErr());
                }
                return 1;
            }
            cmd.getErr().println("tidemark: " + kind + ": " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }
}
