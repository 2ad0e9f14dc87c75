package io.tidemark.core.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A seam fake for unit tests: objects in a sorted map, versions by content length, stat times set
 * by the test (to play a foreign writer). Not atomic and not a backend: the contract suites run on
 * the real ones.
 */
public class MemoryStore implements SnapshotStore {
    public final Map<String, byte[]> objects = new TreeMap<>();
    public final Map<String, Instant> times = new TreeMap<>();
    public Instant now = Instant.parse("2026-01-02T00:00:10Z");

    public void putIfAbsent(String key, InputStream body, long length) {
        if (objects.containsKey(key)) {
            throw new ObjectExistsException(key);
        }
        replace(key, body, length);
    }

    public InputStream open(String key) {
        byte[] b = objects.get(key);
        if (b == null) {
            throw new ObjectNotFoundException(key);
        }
        return new ByteArrayInputStream(b);
    }

    public Optional<Versioned> read(String key) {
        return Optional.ofNullable(objects.get(key)).map(b -> new Versioned(b, "v" + b.length));
    }

    public String compareAndSet(String key, byte[] content, String expectedVersion) {
        if (expectedVersion != null && !read(key).map(Versioned::version).orElse("").equals(expectedVersion)) {
            throw new PreconditionFailedException(key, "changed");
        }
        objects.put(key, content);
        return "v" + content.length;
    }

    public void replace(String key, InputStream body, long length) {
        try {
            objects.put(key, body.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        times.put(key, now);
    }

    public Optional<ObjectStat> stat(String key) {
        return Optional.ofNullable(objects.get(key)).map(b -> new ObjectStat(b.length, times.get(key)));
    }

    public List<String> list(String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    public void delete(String key) {
        objects.remove(key);
    }

    public String describe() {
        return "mem:";
    }
}
