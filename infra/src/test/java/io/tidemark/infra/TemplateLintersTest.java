package io.tidemark.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The template of the shipped example clusters file, synthesized as {@code cdk synth} does (no
 * lookups, no credentials), passes cfn-lint and checkov, run as the programs
 * ({@code scripts/ensure-template-linters.sh} installs them into .tools/cfn-linters-venv). A finding
 * fails the test; what the template accepts on purpose is suppressed in code with its reason
 *.
 */
class TemplateLintersTest {
    static Path template;

    @BeforeAll
    static void synth() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode file = (ObjectNode) json.readTree(Path.of("clusters.example.json").toFile());
        // The example's artifacts are built by other modules; stand-ins keep this test to infra.
        file.withArray("clusters").forEach(c -> ((ObjectNode) c).put("functionsJar", Fixtures.jar())
                .put("replicaDir", Fixtures.replicaDir()));
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "lint");
        Files.createDirectories(dir);
        Path clusters = dir.resolve("clusters.json");
        json.writeValue(clusters.toFile(), file);
        ClustersFile.Deployment d = ClustersFile.read(clusters, Set.of());
        Path out = dir.resolve("cdk.out");
        App app = new App(AppProps.builder().outdir(out.toString()).build());
        new TidemarkStack(app, d.stackName(), d.props());
        app.synth();
        template = out.resolve(d.stackName() + ".template.json");
        assertThat(template).exists();
    }

    @Test
    void cfnLint_findsNothing() throws Exception {
        Result r = run(List.of(linter("cfn-lint").toString(), "--format", "parseable", template.toString()));
        assertThat(r.exit).as("cfn-lint findings:\n" + r.output).isZero();
    }

    @Test
    void checkov_findsNothing() throws Exception {
        Result r = run(List.of(linter("checkov").toString(), "--quiet", "--compact", "--framework", "cloudformation",
                "--skip-download", "-f", template.toString()));
        assertThat(r.exit).as("checkov findings:\n" + r.output).isZero();
    }

    record Result(int exit, String output) {}

    private static Result run(List<String> cmd) throws Exception {
        List<String> c = new ArrayList<>(cmd);
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
        pb.environment().put("BC_SKIP_MAPPING", "TRUE"); // checkov: no download of the platform's mapping
        pb.environment().put("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(c.get(0) + " did not finish in 5 minutes:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** {@code .tools/cfn-linters-venv/bin/NAME} of the enclosing checkout, or a loud failure. */
    static Path linter(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("scripts/ensure-template-linters.sh"))) {
                Path bin = d.resolve(".tools/cfn-linters-venv/bin/" + name);
                if (Files.isExecutable(bin)) {
                    return bin;
                }
                throw new IllegalStateException(name + " is not installed at " + bin + ": run "
                        + d.resolve("scripts/ensure-template-linters.sh") + " (./test does this for you)");
            }
        }
        throw new IllegalStateException("cannot find the checkout (scripts/ensure-template-linters.sh) above "
                + Path.of("").toAbsolutePath());
    }
}
