package io.tidemark.infra;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import software.amazon.awscdk.App;

/**
 * The CDK app: wires one {@link TidemarkStack} from the clusters file. Context (cdk.json or
 * {@code -c}): {@code tidemark:clusters} names the file (default clusters.json, relative to infra/);
 * {@code tidemark:only} optionally keeps only some clusters (comma-separated names).
 */
public final class TidemarkApp {
    public static final String CLUSTERS_CONTEXT = "tidemark:clusters";
    public static final String ONLY_CONTEXT = "tidemark:only";

    private TidemarkApp() {}

    public static void main(String[] args) {
        App app = new App();
        ClustersFile.Deployment d = ClustersFile.read(Path.of(context(app, CLUSTERS_CONTEXT, "clusters.json")),
                names(context(app, ONLY_CONTEXT, "")));
        new TidemarkStack(app, d.stackName(), d.props());
        app.synth();
    }

    static Set<String> names(String csv) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }

    private static String context(App app, String key, String fallback) {
        Object v = app.getNode().tryGetContext(key);
        return v == null ? fallback : v.toString();
    }
}
