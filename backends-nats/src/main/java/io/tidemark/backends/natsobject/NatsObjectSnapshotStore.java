package io.tidemark.backends.natsobject;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.ObjectStore;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.tidemark.core.store.ObjectExistsException;
import io.tidemark.core.store.ObjectNotFoundException;
import io.tidemark.core.store.PreconditionFailedException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.store.StoreException;
import io.tidemark.core.store.StoreLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Snapshots in a NATS object store (where HarmonyLite keeps its own), with HEAD in a KV bucket: the
 * object store cannot compare-and-set, a KV key can (on its revision). Objects stream in chunks both
 * ways. The object store has no conditional put, so "only if absent" is a check before the put:
 * safe for snapshot ids (time plus content hash), not a general lock.
 */
public final class NatsObjectSnapshotStore implements SnapshotStore {
    private static final int WRONG_LAST_SEQUENCE = 10071;

    private final ObjectStore objects;
    private final KeyValue pointers;
    private final String bucket;
    private final JetStreamManagement jsm;

    public NatsObjectSnapshotStore(ObjectStore objects, KeyValue pointers, String bucket, JetStreamManagement jsm) {
        this.objects = objects;
        this.pointers = pointers;
        this.bucket = bucket;
        this.jsm = jsm;
    }

    /** Chunks of puts whose writer died before naming them ({@link OrphanChunks}), older than {@code before}. */
    @Override
    public int removeAbandoned(java.time.Instant before) {
        try {
            return OrphanChunks.remove(jsm, objects, bucket, before);
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            interrupted(e);
            throw new StoreException("cannot remove abandoned chunks from " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void putIfAbsent(String key, InputStream body, long length) {
        try {
            if (live(objects.getInfo(key)) != null) {
                throw new ObjectExistsException(key);
            }
            ObjectInfo info = objects.put(ObjectMeta.objectName(key), body);
            if (length != UNKNOWN_LENGTH && info.getSize() != length) {
                objects.delete(key);
                throw new StoreException("object " + key + ": expected " + length + " bytes, got " + info.getSize());
            }
        } catch (IOException | JetStreamApiException e) {
            throw new StoreException("cannot put " + key + " in " + describe() + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A put under an existing name writes new chunks, then swaps the object's metadata, then purges
     * the old chunks: readers see the old object or the new one. A body of the wrong length fails
     * inside the put, before the swap, so the old object stays.
     */
    @Override
    public void replace(String key, InputStream body, long length) {
        try {
            objects.put(ObjectMeta.objectName(key), io.tidemark.core.store.ExactLength.stream(key, body, length));
        } catch (IOException | JetStreamApiException e) {
            throw new StoreException("cannot replace " + key + " in " + describe() + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<SnapshotStore.ObjectStat> stat(String key) {
        try {
            ObjectInfo info = live(objects.getInfo(key));
            return info == null ? Optional.empty()
                    : Optional.of(new SnapshotStore.ObjectStat(info.getSize(), info.getModified().toInstant()));
        } catch (IOException | JetStreamApiException e) {
            throw new StoreException("cannot stat " + key + " in " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            if (live(objects.getInfo(key)) == null) {
                throw new ObjectNotFoundException(key);
            }
            // jnats writes objects to an OutputStream; a pipe turns that into a stream the caller pulls.
            PipedInputStream in = new PipedInputStream(1 << 20);
            PipedOutputStream out = new PipedOutputStream(in);
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try (out) {
                    objects.get(key, out);
                } catch (Exception e) {
                    failure.set(e);
                }
            }, "nats-object-get");
            t.setDaemon(true);
            t.start();
            return new java.io.FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n < 0 && failure.get() != null) {
                        throw new IOException("reading " + key + " failed: " + failure.get().getMessage(), failure.get());
                    }
                    return n;
                }
            };
        } catch (IOException | JetStreamApiException e) {
            throw new StoreException("cannot read " + key + " from " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Versioned> read(String key) {
        if (!StoreLayout.HEAD.equals(key)) {
            try (InputStream in = open(key)) {
                byte[] b = in.readAllBytes();
                return Optional.of(new Versioned(b, io.tidemark.core.snapshot.Hashing.sha256(b)));
            } catch (ObjectNotFoundException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new StoreException("cannot read " + key + " from " + describe() + ": " + e.getMessage(), e);
            }
        }
        try {
            KeyValueEntry e = pointers.get(kvKey(key));
            return e == null || e.getOperation() != KeyValueOperation.PUT ? Optional.empty()
                    : Optional.of(new Versioned(e.getValue(), Long.toString(e.getRevision())));
        } catch (IOException | JetStreamApiException e) {
            throw new StoreException("cannot read " + key + " from " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String compareAndSet(String key, byte[] content, String expectedVersion) {
        if (!StoreLayout.HEAD.equals(key)) {
            throw new IllegalArgumentException("only " + StoreLayout.HEAD + " is mutable in " + describe());
        }
        try {
            long rev = expectedVersion == null ? pointers.create(kvKey(key), content)
                    : pointers.update(kvKey(key), content, Long.parseLong(expectedVersion));
            return Long.toString(rev);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                throw new PreconditionFailedException(key, expectedVersion == null ? "it already exists"
                        : "it changed since revision " + expectedVersion);
            }
            throw new StoreException("cannot write " + key + " to " + describe() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("cannot write " + key + " to " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        try {
            List<String> keys = new ArrayList<>();
            for (ObjectInfo info : objects.getList()) {
                if (!info.isDeleted() && info.getObjectName().startsWith(prefix)) {
                    keys.add(info.getObjectName());
                }
            }
            if (StoreLayout.HEAD.startsWith(prefix) && read(StoreLayout.HEAD).isPresent()) {
                keys.add(StoreLayout.HEAD);
            }
            keys.sort(null);
            return keys;
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            interrupted(e);
            throw new StoreException("cannot list " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            if (live(objects.getInfo(key)) != null) {
                objects.delete(key);
            }
        } catch (IOException | JetStreamApiException e) {
            throw new StoreException("cannot delete " + key + " from " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "nats-object:" + bucket;
    }

    /** KV keys may not contain every character an object name may: HEAD.json becomes HEAD_json. */
    private static String kvKey(String key) {
        return key.replace('.', '_');
    }

    private static ObjectInfo live(ObjectInfo info) {
        return info == null || info.isDeleted() ? null : info;
    }

    private static void interrupted(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }
}
