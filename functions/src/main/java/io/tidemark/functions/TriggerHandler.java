package io.tidemark.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.core.build.Trigger;
import io.tidemark.core.change.ChangeSource;
import io.tidemark.core.change.StreamState;
import io.tidemark.core.manifest.Catalog;
import io.tidemark.core.manifest.Manifest;
import io.tidemark.core.manifest.NoHeadException;
import io.tidemark.core.store.SnapshotStore;
import io.tidemark.core.trigger.TriggerPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trigger: the HTTP face, through a Lambda function URL with IAM auth. {@code POST /snapshots}
 * queues a Build and answers 202 with a request id at once; {@code GET /snapshots} lists snapshots
 * with HEAD marked; {@code GET /status} gives pending changes, snapshot age and HEAD. Anything else
 * gets a 4xx with a JSON reason.
 */
public final class TriggerHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What Trigger needs; built lazily from the environment in Lambda. */
    record Deps(String cluster, List<String> streams, Supplier<SnapshotStore> store, Supplier<ChangeSource> source,
                Supplier<BuildInvoker> invoker, Clock clock) {}

    private final Deps d;

    public TriggerHandler() {
        this(Wiring.fromEnvironment());
    }

    TriggerHandler(Wiring w) {
        this(new Deps(w.config.cluster().cluster(), w.config.cluster().streamNames(), w::store, w::source, w::invoker,
                Clock.systemUTC()));
    }

    TriggerHandler(Deps deps) {
        this.d = deps;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Logs.around(context, () -> handle(event, context));
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        if (event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null) {
            return reply(400, Map.of("error", "not a function URL request"));
        }
        String method = event.getRequestContext().getHttp().getMethod();
        String path = event.getRawPath() == null ? "/" : event.getRawPath().replaceAll("/+$", "");
        try {
            return switch (path) {
                case "/snapshots" -> switch (method) {
                    case "POST" -> post(event);
                    case "GET" -> reply(200, list());
                    default -> reply(405, Map.of("error", method + " not allowed on /snapshots (GET, POST)"));
                };
                case "/status" -> "GET".equals(method) ? reply(200, status())
                        : reply(405, Map.of("error", method + " not allowed on /status (GET)"));
                default -> reply(404, Map.of("error", "no route " + path + " (POST /snapshots, GET /snapshots,"
                        + " GET /status)"));
            };
        } catch (NoHeadException e) {
            return reply(409, Map.of("error", e.getMessage()));
        }
    }

    private APIGatewayV2HTTPResponse post(APIGatewayV2HTTPEvent event) {
        boolean force = false;
        String body = event.getBody();
        if (body != null && !body.isBlank()) {
            if (event.getIsBase64Encoded()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            try {
                JsonNode n = JSON.readTree(body);
                if (!n.isObject()) {
                    return reply(400, Map.of("error", "body must be a JSON object like {\"force\": true}"));
                }
                JsonNode f = n.get("force");
                if (f != null && !f.isBoolean()) {
                    return reply(400, Map.of("error", "\"force\" must be true or false"));
                }
                force = f != null && f.booleanValue();
            } catch (IOException e) {
                return reply(400, Map.of("error", "body is not JSON: " + e.getMessage().lines().findFirst().orElse("")));
            }
        }
        String requestId = "http-" + Ids.next();
        d.invoker().get().invokeAsync(Trigger.MANUAL, force, requestId);
        return reply(202, Map.of("requestId", requestId, "cluster", d.cluster(), "force", force));
    }

    private Map<String, Object> list() {
        SnapshotStore store = d.store().get();
        String head = Catalog.readHead(store).map(h -> h.head().snapshot()).orElse(null);
        List<Map<String, Object>> items = new ArrayList<>();
        for (String id : Catalog.snapshotIds(store)) {
            Manifest m = Catalog.manifest(store, id, null).manifest();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", id);
            item.put("head", id.equals(head));
            item.put("createdAt", m.createdAt().toString());
            item.put("trigger", m.build() == null ? null : m.build().trigger());
            item.put("positions", m.positions());
            item.put("rows", m.totalRows());
            item.put("bytes", m.db().bytes());
            items.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", d.cluster());
        out.put("head", head);
        out.put("snapshots", items);
        return out;
    }

    private Map<String, Object> status() {
        SnapshotStore store = d.store().get();
        Catalog.VersionedHead head = Catalog.requireHead(store);
        Manifest m = Catalog.headManifest(store, head.head()).manifest();
        List<StreamState> states = new ArrayList<>();
        for (String s : d.streams()) {
            states.add(d.source().get().state(s));
        }
        TriggerPolicy.Pending p = TriggerPolicy.pending(m, states);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", d.cluster());
        out.put("head", head.head().snapshot());
        out.put("positions", m.positions());
        out.put("pendingChanges", p.changes());
        out.put("pendingRatio", p.ratio());
        out.put("gap", p.gap());
        out.put("snapshotAgeSeconds", Duration.between(m.createdAt(), d.clock().instant()).toSeconds());
        return out;
    }

    private static APIGatewayV2HTTPResponse reply(int status, Object body) {
        try {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody(JSON.writeValueAsString(body)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
