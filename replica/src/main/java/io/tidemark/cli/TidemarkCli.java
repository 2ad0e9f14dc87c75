package io.tidemark.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The {@code tidemark} command. */
@Command(name = "tidemark", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = BuildVersion.class,
        description = "Snapshots for SQLite clusters replicated over NATS JetStream",
        subcommands = {SnapshotCommand.class, ReplicaCommand.class, LoadCommand.class, DemoCommand.class,
                BenchCommand.class, HelpCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (the message names what and where)", "2:bad input or configuration",
                "3:gap: changes after HEAD fell off a stream", "4:lease held by another builder"})
public final class TidemarkCli {
    private TidemarkCli() {}

    public static void main(String[] args) {
        try {
            LogFormat.choose();
        } catch (IllegalArgumentException e) {
            System.err.println("tidemark: bad input: " + e.getMessage());
            System.exit(ExitCodes.BAD_INPUT);
        }
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code ({@link ExitCodes}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new TidemarkCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("tidemark: " + CliErrors.kind(e) + ": " + CliErrors.message(e));
            if (System.getenv("TIDEMARK_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return CliErrors.exitCode(e);
        });
        return cli.execute(args);
    }
}
