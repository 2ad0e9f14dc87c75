package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.fixtures.nats.NatsServerExtension;
import io.tidemark.fixtures.workload.WorkloadSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped examples/ work as the README says, and a first run cannot fall into a gap by accident:
 * {@code load} refuses to publish past max_entries since HEAD; forced, the next build is a gap (exit 3).
 */
class ExamplesIT {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @RegisterExtension
    static NatsServerExtension nats = new NatsServerExtension();

    @Test
    void exampleSchema_isTheSchemaLoadWrites() throws Exception {
        String withoutComments = Files.readAllLines(EXAMPLES.resolve("schema.sql")).stream()
                .filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n"));
        assertThat(withoutComments.strip()).isEqualTo(WorkloadSchema.SQL.strip());
    }

    @Test
    void exampleConfig_seedLoadBuild_andLoadRefusesToOverrunMaxEntries() throws Exception {
        Path dir = Files.createTempDirectory(nats.tempDir(), "examples");
        Path examples = Files.createDirectories(dir.resolve("examples"));
        Path config = Files.copy(EXAMPLES.resolve("tidemark.toml"), examples.resolve("tidemark.toml"));
        Path schema = Files.copy(EXAMPLES.resolve("schema.sql"), examples.resolve("schema.sql"));
        String[] common = {"--config", config.toString(), "--nats-url", nats.url()};

        CliRun seed = cli(common, "snapshot", "seed", "--schema", schema.toString());
        assertThat(seed.code()).as(seed.err()).isZero();
        assertThat(dir.resolve(".tidemark/example/snapshots/HEAD.json")).exists();
        CliRun load = cli(common, "load"); // the default fits the example's max_entries
        assertThat(load.code()).as(load.err()).isZero();

        CliRun refused = cli(common, "load", "--seed", "2");
        assertThat(refused.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(refused.err()).contains("2,000 changes on stream harmonylite-changes-c-1")
                .contains("max_entries 1,024").contains("gap").contains("--force");

        CliRun build = cli(common, "snapshot", "build");
        assertThat(build.code()).as(build.out() + build.err()).isZero();
        assertThat(build.out()).startsWith("created").contains("1,000 changes");
        assertThat(cli(common, "load", "--seed", "2").code()).isZero(); // HEAD holds the first 1,000 now

        CliRun forced = cli(common, "load", "--seed", "3", "--changes", "1100", "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        CliRun gap = cli(common, "snapshot", "build");
        assertThat(gap.code()).as(gap.out() + gap.err()).isEqualTo(ExitCodes.GAP);
        assertThat(gap.out()).startsWith("gap");
    }

    private static CliRun cli(String[] common, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + common.length);
        System.arraycopy(common, 0, all, args.length, common.length);
        return CliRun.of(all);
    }
}
