package io.tidemark.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.constructs.Construct;

/** One stack holding one {@link TidemarkCluster} per cluster. */
public final class TidemarkStack extends Stack {
    private final Map<String, TidemarkCluster> clusters = new LinkedHashMap<>();

    public TidemarkStack(Construct scope, String id, TidemarkStackProps props) {
        super(scope, id, props.stackProps());
        for (ClusterProps c : props.clusters()) {
            clusters.put(c.name(), new TidemarkCluster(this, "Cluster-" + c.name(), c));
        }
    }

    public TidemarkCluster cluster(String name) {
        return clusters.get(name);
    }
}
