package io.tidemark.infra;

import io.tidemark.infra.ClusterProps.FunctionKind;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * Least privilege, written out: each statement names its actions one by one (the CDK's grantRead
 * and grantReadWrite give {@code s3:GetObject*}, {@code s3:List*} and the like) and the narrowest
 * resource. The actions are the ones the backends call (docs/functions.md, "Backends").
 */
final class Grants {
    private final ClusterProps p;
    private final Bucket bucket;
    private final Table leases;
    private final IFunction build;

    Grants(ClusterProps p, Bucket bucket, Table leases, IFunction build) {
        this.p = p;
        this.bucket = bucket;
        this.leases = leases;
        this.build = build;
    }

    void apply(Map<FunctionKind, SnapshotFunction> functions) {
        for (var e : functions.entrySet()) {
            for (PolicyStatement s : forFunction(e.getKey())) {
                e.getValue().allow(s);
            }
        }
    }

    List<PolicyStatement> forFunction(FunctionKind kind) {
        var list = new java.util.ArrayList<>(readSnapshots());
        switch (kind) {
            case BUILD -> {
                list.add(writeSnapshots());
                list.add(lease());
                list.add(putEvents());
            }
            // Monitor's own counter (MonitorState), written by compare-and-set beside HEAD.
            case MONITOR -> {
                list.add(statement("MonitorState", List.of("s3:PutObject"), bucket.arnForObjects(p.prefix() + "/monitor/*")));
                list.add(invokeBuild());
            }
            case VERIFY -> list.add(putEvents());
            case TRIGGER -> list.add(invokeBuild());
        }
        if (p.natsSecretArn() != null) {
            list.add(statement("NatsSecret", List.of("secretsmanager:GetSecretValue"), p.natsSecretArn()));
        }
        return list;
    }

    /**
     * Get under the prefix, and ListBucket on the bucket. No {@code s3:prefix} condition on the list:
     * S3 answers a GET of a missing key with 404 only to a caller allowed to list, and a condition the
     * GET does not carry would turn "no HEAD yet" into 403.
     */
    List<PolicyStatement> readSnapshots() {
        return List.of(statement("ReadSnapshots", List.of("s3:GetObject"), objects()),
                statement("ListSnapshots", List.of("s3:ListBucket"), bucket.getBucketArn()));
    }

    /** Uploads (single and multipart, aborted on failure) and retention's deletes. */
    PolicyStatement writeSnapshots() {
        return statement("WriteSnapshots", List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"),
                objects());
    }

    /** The lease is one conditional UpdateItem per change, plus GetItem. */
    PolicyStatement lease() {
        return statement("Lease", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), leases.getTableArn());
    }

    private PolicyStatement putEvents() {
        return statement("PutEvents", List.of("events:PutEvents"), TidemarkCluster.eventBusArn(bucket, p.eventBus()));
    }

    private PolicyStatement invokeBuild() {
        return statement("InvokeBuild", List.of("lambda:InvokeFunction"), build.getFunctionArn());
    }

    private String objects() {
        return bucket.arnForObjects(p.prefix() + "/*");
    }

    static PolicyStatement statement(String sid, List<String> actions, String resource) {
        return PolicyStatement.Builder.create().sid(sid).actions(actions).resources(List.of(resource)).build();
    }
}
