package io.tidemark.functions;

import io.tidemark.backends.jetstream.NatsSecurity;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.trigger.TriggerPolicy;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The functions' configuration, from environment variables (the table in docs/functions.md, set by
 * the CDK app). Every error names the variable and what is wrong with it. NATS TLS files and
 * credentials come from the same {@code TIDEMARK_NATS_*} variables the CLI and replica read, or
 * from Secrets Manager by ARN ({@code TIDEMARK_NATS_SECRET_ARN}).
 */
public record FunctionConfig(ClusterConfig cluster, List<String> natsUrls, String natsSecretArn, String bucket,
                             String prefix, String leaseTable, String eventBus, String buildFunction,
                             TriggerPolicy triggers, Map<String, URI> endpoints, NatsSecurity natsSecurity) {

    public static FunctionConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static FunctionConfig from(Map<String, String> env) {
        Env e = new Env(env);
        ClusterConfig cluster = new ClusterConfig(e.text("TIDEMARK_CLUSTER", ClusterConfig.DEFAULT_STREAM_PREFIX),
                e.text("TIDEMARK_SUBJECT_PREFIX", ClusterConfig.DEFAULT_SUBJECT_PREFIX),
                (int) e.number("TIDEMARK_SHARDS", ClusterConfig.DEFAULT_SHARDS),
                e.bool("TIDEMARK_COMPRESS", ClusterConfig.DEFAULT_COMPRESSED),
                e.number("TIDEMARK_MAX_ENTRIES", ClusterConfig.DEFAULT_MAX_ENTRIES));
        TriggerPolicy triggers = e.wrap("TIDEMARK_THRESHOLD", () -> new TriggerPolicy(
                e.number("TIDEMARK_THRESHOLD", TriggerPolicy.DEFAULT_THRESHOLD),
                e.number("TIDEMARK_EMERGENCY", TriggerPolicy.DEFAULT_EMERGENCY),
                e.decimal("TIDEMARK_HEADROOM_RATIO", TriggerPolicy.DEFAULT_HEADROOM_RATIO)));
        List<String> urls = Arrays.stream(e.required("TIDEMARK_NATS_URLS").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        for (String u : urls) {
            if (!u.matches("(nats|tls)://[^\\s/]+(:\\d+)?/?")) {
                throw new IllegalArgumentException("TIDEMARK_NATS_URLS: '" + u + "' is not a url like nats://host:4222");
            }
        }
        Map<String, URI> endpoints = new java.util.HashMap<>();
        for (String service : List.of("S3", "DYNAMODB", "EVENTS", "LAMBDA", "SECRETS")) {
            String v = env.get("TIDEMARK_" + service + "_ENDPOINT");
            if (v != null && !v.isBlank()) {
                endpoints.put(service, e.wrap("TIDEMARK_" + service + "_ENDPOINT", () -> URI.create(v)));
            }
        }
        return new FunctionConfig(cluster, urls, env.get("TIDEMARK_NATS_SECRET_ARN"), e.required("TIDEMARK_BUCKET"),
                e.text("TIDEMARK_PREFIX", cluster.cluster()), env.get("TIDEMARK_LEASE_TABLE"),
                e.text("TIDEMARK_EVENT_BUS", "default"), env.get("TIDEMARK_BUILD_FUNCTION"), triggers,
                Map.copyOf(endpoints), e.wrap("TIDEMARK_NATS_*", () -> NatsSecurity.fromEnvironment(env)));
    }

    public URI endpoint(String service) {
        return endpoints.get(service);
    }

    public String requireLeaseTable() {
        if (leaseTable == null || leaseTable.isBlank()) {
            throw new IllegalArgumentException("TIDEMARK_LEASE_TABLE is not set: the Build function needs the lease table");
        }
        return leaseTable;
    }

    public String requireBuildFunction() {
        if (buildFunction == null || buildFunction.isBlank()) {
            throw new IllegalArgumentException("TIDEMARK_BUILD_FUNCTION is not set: this function invokes Build");
        }
        return buildFunction;
    }

    /** Reads variables and says which one is wrong. */
    private record Env(Map<String, String> env) {
        String required(String name) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(name + " is not set");
            }
            return v.trim();
        }

        String text(String name, String fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        long number(String name, long fallback) {
            String v = env.get(name);
            try {
                return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
            }
        }

        double decimal(String name, double fallback) {
            String v = env.get(name);
            try {
                return v == null || v.isBlank() ? fallback : Double.parseDouble(v.trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
            }
        }

        boolean bool(String name, boolean fallback) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            if (!v.trim().equalsIgnoreCase("true") && !v.trim().equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(v.trim());
        }

        <T> T wrap(String name, java.util.function.Supplier<T> s) {
            try {
                return s.get();
            } catch (IllegalArgumentException ex) {
                throw ex.getMessage() != null && ex.getMessage().startsWith("TIDEMARK_") ? ex
                        : new IllegalArgumentException(name + ": " + ex.getMessage(), ex);
            }
        }
    }
}
