package io.tidemark.backends.natskv;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;

/** Opens (creating if needed) a KV bucket with file storage and one value per key. */
public final class NatsKv {
    private static final int BUCKET_NOT_FOUND = 10059;

    private NatsKv() {}

    public static KeyValue bucket(Connection nc, String name) {
        try {
            try {
                nc.keyValueManagement().getStatus(name);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != BUCKET_NOT_FOUND) {
                    throw e;
                }
                nc.keyValueManagement().create(KeyValueConfiguration.builder().name(name)
                        .storageType(StorageType.File).maxHistoryPerKey(1).build());
            }
            return nc.keyValue(name);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot open NATS KV bucket " + name + ": " + e.getMessage(), e);
        }
    }
}
