package io.tidemark.infra;

import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** One stack holding one {@link TidemarkCluster} per cluster. */
public final class TidemarkStack extends Stack {
    public TidemarkStack(Construct scope, String id, StackProps props, List<ClusterProps> clusters) {
        super(scope, id, props);
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("no clusters to deploy");
        }
        for (ClusterProps c : clusters) {
            new TidemarkCluster(this, "Cluster-" + c.name(), c);
        }
    }
}
