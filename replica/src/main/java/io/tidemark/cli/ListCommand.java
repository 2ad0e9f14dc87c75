package io.tidemark.cli;

import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tidemark snapshot list}: every snapshot, oldest first, HEAD marked, with created time, age and sizes. */
@Command(name = "list", description = "List snapshots, oldest first; HEAD is marked")
final class ListCommand implements Callable<Integer> {
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ROW = "%-4s %-29s %-20s %-8s %-9s %12s %10s %10s  %s%n";

    @Mixin
    ClusterOptions options;

    @Option(names = "--json", description = "one JSON document: {store, head, snapshots: [...]}")
    boolean json;

    @Override
    public Integer call() {
        try (Wiring w = Wiring.readOnly(options.resolve())) {
            String headId = Catalog.readHead(w.store).map(h -> h.head().snapshot()).orElse(null);
            Instant now = Instant.now();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String id : Catalog.snapshotIds(w.store)) {
                rows.add(row(Catalog.manifest(w.store, id, null).manifest(), id.equals(headId), now));
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("store", w.store.describe());
                out.put("head", headId);
                out.put("snapshots", rows);
                Json.print(out);
            } else {
                print(rows, w.store.describe());
            }
            return ExitCodes.OK;
        }
    }

    private static Map<String, Object> row(Manifest m, boolean head, Instant now) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", m.id());
        r.put("head", head);
        r.put("createdAt", m.createdAt());
        r.put("ageSeconds", Duration.between(m.createdAt(), now).getSeconds());
        r.put("trigger", m.build() == null ? null : m.build().trigger());
        r.put("rows", m.totalRows());
        r.put("bytes", m.db().bytes());
        r.put("rawBytes", m.db().rawBytes());
        r.put("base", m.base() == null ? null : m.base().id());
        r.put("positions", m.positions());
        return r;
    }

    private static void print(List<Map<String, Object>> rows, String store) {
        System.out.printf(ROW, "", "ID", "CREATED", "AGE", "TRIGGER", "ROWS", "SIZE", "RAW", "POSITIONS");
        for (Map<String, Object> r : rows) {
            System.out.printf(ROW, (boolean) r.get("head") ? "HEAD" : "", r.get("id"),
                    CREATED.format((Instant) r.get("createdAt")),
                    Human.age(Duration.ofSeconds((long) r.get("ageSeconds"))),
                    r.get("trigger") == null ? "" : r.get("trigger"), String.format("%,d", (long) r.get("rows")),
                    Human.bytes((long) r.get("bytes")), Human.bytes((long) r.get("rawBytes")), r.get("positions"));
        }
        if (rows.isEmpty()) {
            System.out.println("(no snapshots in " + store + ")");
        }
    }
}
