package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help, version, messages and exit codes of the real CLI, run in process; no server needed. */
class CliUsageTest {
    private static final Pattern JAVA_CLASS = Pattern.compile("[A-Z][A-Za-z]*(Exception|Error)\\b|java\\.[a-z]+\\.");

    @Test
    void everyCommand_answersHelp_withItsOwnUsage_andExitZero() {
        List<String[]> paths = new ArrayList<>();
        collect(new CommandLine(TidemarkCli.class), new ArrayList<>(), paths);
        assertThat(paths).extracting(p -> String.join(" ", p))
                .contains("snapshot build", "snapshot restore", "replica", "load", "demo", "bench");
        for (String[] path : paths) {
            String[] args = java.util.Arrays.copyOf(path, path.length + 1);
            args[path.length] = "--help";
            CliRun r = CliRun.of(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
            assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: tidemark " + String.join(" ", path))
                    .contains("Exit codes:");
        }
    }

    @Test
    void helpCommand_showsTheNamedSubcommand_notItsParent() {
        CliRun r = CliRun.of("help", "snapshot", "build");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: tidemark snapshot build").contains("--force");
        CliRun unknown = CliRun.of("help", "snapshot", "nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'nope'");
    }

    @Test
    void version_isTheBuildsVersion_onEveryCommand() throws Exception {
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue(); // the parent's version, the first in replica/pom.xml
        for (String[] args : List.of(new String[]{"--version"}, new String[]{"snapshot", "list", "--version"})) {
            CliRun r = CliRun.of(args);
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("tidemark " + m.group(1) + System.lineSeparator());
        }
    }

    @Test
    void unknownOption_isBadInput_exitTwo() {
        CliRun r = CliRun.of("snapshot", "build", "--no-such-flag");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("Unknown option: '--no-such-flag'");
        CliRun bare = CliRun.of("snapshot");
        assertThat(bare.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(bare.err()).contains("Missing required subcommand");
    }

    @Test
    void missingSchemaFile_isBadInput_namingTheFile() {
        CliRun r = CliRun.of("snapshot", "seed", "--schema", "/no/such/schema.sql", "--store", "/no/such/store");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("/no/such/schema.sql").contains("examples/schema.sql");
    }

    @Test
    void unreachableNats_fails_withAPlainMessage_noClassName() {
        CliRun r = CliRun.of("snapshot", "list", "--store", "nats:nowhere", "--nats-url", "nats://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).startsWith("tidemark: failed: cannot connect to NATS at [nats://127.0.0.1:1]");
        assertThat(JAVA_CLASS.matcher(r.err()).find()).as(r.err()).isFalse();
    }

    @Test
    void completion_isABashScriptCoveringTheSubcommands() {
        CliRun r = CliRun.of("generate-completion");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("complete -F").contains("snapshot").contains("restore").contains("--if-db-not-exists");
    }

    @Test
    void unreadableCredsFile_isBadInput_namingIt() {
        CliRun r = CliRun.of("snapshot", "list", "--store", "nats:x", "--nats-url", "nats://127.0.0.1:1",
                "--nats-creds", "/no/such/tidemark.creds");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("NATS credentials file /no/such/tidemark.creds").contains("not readable");
    }

    private static void collect(CommandLine c, List<String> prefix, List<String[]> out) {
        for (CommandLine sub : c.getSubcommands().values()) {
            if (sub.getCommandSpec().helpCommand()) {
                continue;
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(sub.getCommandName());
            out.add(path.toArray(String[]::new));
            collect(sub, path, out);
        }
    }
}
