package io.tidemark.replica;

import java.nio.file.Path;

/**
 * Which lease keeps builders to one at a time. Beside HarmonyLite it is the NATS KV key
 * {@code snapshot-leader} in HarmonyLite's bucket {@code e-harmonylite}, shared with the nodes.
 */
public sealed interface LeaseSpec {
    /** HarmonyLite's KV bucket for its leader lease ({@code cfg.EmbeddedClusterName}). */
    String HARMONYLITE_BUCKET = "e-harmonylite";

    /** Lock files in a folder (one machine or a shared file system). */
    record Folder(Path dir) implements LeaseSpec {}

    /** HarmonyLite's lease: key {@code snapshot-leader} in a NATS KV bucket. */
    record NatsKv(String bucket) implements LeaseSpec {
        public NatsKv {
            if (bucket == null || !bucket.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("snapshot.lease.bucket must be letters, digits, '-' or '_', got '"
                        + bucket + "'");
            }
        }
    }

    /** A DynamoDB table (with an S3 store on AWS); endpoint null for AWS itself. */
    record DynamoDb(String table, String endpoint) implements LeaseSpec {}

    /** The lease a store implies when none is set: a folder store's own folder, else HarmonyLite's. */
    static LeaseSpec defaultFor(StoreSpec store) {
        return store instanceof StoreSpec.Folder f ? new Folder(f.dir().resolve(".leases"))
                : new NatsKv(HARMONYLITE_BUCKET);
    }
}
