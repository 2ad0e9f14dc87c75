package io.tidemark.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.core.change.ChangeCodec;
import io.tidemark.core.snapshot.Sqlite;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the captured HarmonyLite messages the way the capture's replica node (TZ
 * America/Sao_Paulo) did, and compares every stored value (type and bytes) with that node's
 * database: times in the node's zone, the NULL-key delete, Inf, the zero time as NULL.
 */
class GoldenReplayTest {
    @TempDir
    Path dir;

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = GoldenReplayTest.class.getResourceAsStream("/golden/" + name)) {
            return in.readAllBytes();
        }
    }

    private static List<List<String>> dump(Connection c, String table) throws Exception {
        List<String> cols = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
            while (rs.next()) {
                cols.add(rs.getString("name"));
            }
        }
        StringBuilder sel = new StringBuilder();
        for (String col : cols) {
            sel.append(sel.length() == 0 ? "" : ", ").append("typeof(\"").append(col).append("\"), hex(\"").append(col).append("\")");
        }
        List<List<String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + sel + " FROM \"" + table + "\" ORDER BY rowid")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= cols.size() * 2; i += 2) {
                    row.add(cols.get(i / 2) + "=" + rs.getString(i));
                    row.add(cols.get(i / 2) + "=" + value(rs.getString(i), rs.getString(i + 1)));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** hex() of a REAL is its text, which SQLite versions print with different digits: compare the double. */
    private static String value(String type, String hex) {
        if (!type.equals("real")) {
            return hex;
        }
        String text = new String(HexFormat.of().parseHex(hex), StandardCharsets.US_ASCII);
        return text.endsWith("Inf") ? text : Double.toString(Double.parseDouble(text));
    }

    private static List<List<String>> expected(JsonNode rows) {
        List<List<String>> out = new ArrayList<>();
        rows.forEach(r -> {
            List<String> row = new ArrayList<>();
            r.fields().forEachRemaining(f -> {
                row.add(f.getKey() + "=" + f.getValue().get(0).asText());
                row.add(f.getKey() + "=" + value(f.getValue().get(0).asText(), f.getValue().get(1).asText()));
            });
            out.add(row);
        });
        return out;
    }

    @Test
    void replayedDatabase_equalsTheHarmonyLiteReplicas() throws Exception {
        JsonNode capture = new ObjectMapper().readTree(resource("capture-cbor.json"));
        ZoneId zone = ZoneId.of(capture.get("replica").get("TZ").asText());
        try (Connection conn = Sqlite.open(dir.resolve("db.sqlite"))) {
            try (Statement st = conn.createStatement()) {
                for (JsonNode ddl : capture.get("schema")) {
                    st.execute(ddl.asText());
                }
            }
            try (Applier applier = new Applier(conn, zone)) {
                for (JsonNode v : capture.get("vectors")) {
                    String file = v.get("file").asText();
                    if (file.startsWith("invalid_utf8")) {
                        continue; // no node applies it (see GoldenVectorsTest)
                    }
                    applier.apply("shard-" + v.get("shard").asInt(), v.get("seq").asLong(),
                            ChangeCodec.decode(resource(file), false));
                }
                applier.commit();
            }
            JsonNode replica = capture.get("replica_db");
            assertThat(replica.get("t_time").size()).isEqualTo(4);
            replica.fieldNames().forEachRemaining(table -> {
                try {
                    assertThat(dump(conn, table)).as(table).isEqualTo(expected(replica.get(table)));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }
}
