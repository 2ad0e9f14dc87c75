package io.tidemark.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/** JSON for manifests and HEAD. Reading validates, and errors say which document and field is wrong. */
public final class ManifestCodec {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ManifestCodec() {}

    public static ObjectMapper json() {
        return JSON;
    }

    public static byte[] write(Object manifestOrHead) {
        try {
            return JSON.writeValueAsBytes(manifestOrHead);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + manifestOrHead.getClass().getSimpleName(), e);
        }
    }

    public static Manifest readManifest(byte[] json, String where) {
        Manifest m = read(json, Manifest.class, where);
        require(m.format() == Manifest.FORMAT || m.format() == Manifest.LAYERED_FORMAT, where,
                "format " + m.format() + " is not supported (expected 1 or 2)");
        require(m.format() == Manifest.FORMAT || m.layers() != null && !m.layers().isEmpty(), where,
                "format 2 without layers");
        require(m.id() != null && !m.id().isBlank(), where, "id is missing");
        require(m.createdAt() != null, where, "createdAt is missing");
        require(m.db() != null && m.db().sha256() != null && m.db().rawSha256() != null, where,
                "db.sha256 or db.rawSha256 is missing");
        require(m.positions() != null, where, "positions is missing");
        require(m.tables() != null, where, "tables is missing");
        if (m.layers() != null) {
            for (int i = 0; i < m.layers().size(); i++) {
                Manifest.Layer l = m.layers().get(i);
                require(l != null && l.snapshot() != null && SnapshotId.isValid(l.snapshot()) && l.object() != null && l.sha256() != null
                        && l.object().matches("[A-Za-z0-9._-]+"), where, "layers[" + i + "] lacks snapshot, object or sha256");
                require(l.full() == (i == 0), where, "layers[" + i + "] is " + l.kind() + ": only the first layer is a"
                        + " full database, every later one a page set");
            }
        }
        m.positions().forEach((stream, seq) -> require(seq != null && seq >= 0, where,
                "positions." + stream + " is not a non-negative sequence"));
        return m;
    }

    public static Head readHead(byte[] json, String where) {
        try {
            Head h = read(json, Head.class, where);
            require(h.snapshot() != null && !h.snapshot().isBlank(), where, "snapshot is missing");
            require(h.manifestSha256() != null, where, "manifestSha256 is missing");
            if (!h.intact()) {
                throw new InvalidHeadException(where + " was altered: its checksum does not match its snapshot,"
                        + " manifestSha256, leaseToken and updatedAt (point HEAD at a snapshot you trust with"
                        + " `tidemark snapshot rollback <id>`)", null);
            }
            return h;
        } catch (InvalidHeadException e) {
            throw e;
        } catch (InvalidManifestException e) {
            throw new InvalidHeadException(e.getMessage().replace("not a valid Head", "not a valid HEAD pointer"), e);
        }
    }

    private static <T> T read(byte[] json, Class<T> type, String where) {
        try {
            return JSON.readValue(json, type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidManifestException(where + ": not a valid " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidManifestException(where + ": unreadable: " + e.getMessage(), e);
        }
    }

    private static void require(boolean ok, String where, String problem) {
        if (!ok) {
            throw new InvalidManifestException(where + ": " + problem);
        }
    }
}
