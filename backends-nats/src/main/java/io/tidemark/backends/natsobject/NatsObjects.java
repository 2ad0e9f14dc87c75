package io.tidemark.backends.natsobject;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.tidemark.backends.natskv.NatsKv;
import java.io.IOException;

/** Opens (creating if needed) the object store bucket and its HEAD bucket ({@code <bucket>-head}). */
public final class NatsObjects {
    private static final int NOT_FOUND = 10059;

    private NatsObjects() {}

    public static NatsObjectSnapshotStore store(Connection nc, String bucket) {
        try {
            try {
                nc.objectStoreManagement().getStatus(bucket);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NOT_FOUND) {
                    throw e;
                }
                nc.objectStoreManagement().create(ObjectStoreConfiguration.builder(bucket)
                        .storageType(StorageType.File).build());
            }
            ObjectStore os = nc.objectStore(bucket);
            return new NatsObjectSnapshotStore(os, NatsKv.bucket(nc, bucket + "-head"), bucket, nc.jetStreamManagement());
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot open NATS object store " + bucket + ": " + e.getMessage(), e);
        }
    }
}
