package io.tidemark.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.tidemark.backends.jetstream.NatsAuth;
import io.tidemark.backends.jetstream.NatsSecurity;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.retention.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a TOML file into a {@link TidemarkConfig.Builder}. Keys are HarmonyLite's where they overlap
 * ({@code db_path}, {@code seq_map_path}, {@code [replication_log] shards/max_entries/compress},
 * {@code [nats] urls/subject_prefix/stream_prefix/user_name/user_password/reconnect_wait_seconds},
 * {@code [snapshot] leader_ttl}, {@code [health_check] bind}); other HarmonyLite keys are accepted
 * and ignored, so a node's own file works (its NATS TLS files and credentials are honoured). Any other key is an
 * error naming it, so typos and unsupported settings do not pass silently.
 * {@code ${VAR}} and {@code ${VAR:-default}} in string values come from the environment.
 */
public final class ConfigFile {
    private static final Set<String> USED = Set.of("db_path", "seq_map_path", "work_dir", "time_zone",
            "replication_log.shards", "replication_log.max_entries", "replication_log.compress",
            "nats.urls", "nats.subject_prefix", "nats.stream_prefix", "nats.user_name", "nats.user_password",
            "nats.reconnect_wait_seconds", "nats.ca_file", "nats.cert_file", "nats.key_file", "nats.creds_file", "nats.token",
            "nats.seed_file", "snapshot.store", "snapshot.leader_ttl", "snapshot.boot_copy", "snapshot.file.path",
            "snapshot.file.lease_dir", "snapshot.nats.bucket", "snapshot.s3.bucket", "snapshot.s3.path",
            "snapshot.s3.endpoint", "snapshot.s3.access_key", "snapshot.s3.secret", "snapshot.s3.session_token",
            "snapshot.s3.use_ssl", "snapshot.webdav.url", "snapshot.sftp.url", "snapshot.sftp.known_hosts", "snapshot.sftp.private_key", "snapshot.lease.type",
            "snapshot.lease.bucket", "snapshot.lease.table", "snapshot.lease.endpoint", "snapshot.lease.path",
            "snapshot.retention.keep_last", "snapshot.retention.daily",
            "snapshot.retention.weekly", "snapshot.retention.monthly", "snapshot.retention.grace_hours",
            "health_check.bind", "admin.bind", "admin.token_file");
    /** HarmonyLite keys that mean nothing to Tidemark. */
    private static final Set<String> IGNORED_PREFIXES = Set.of("node_id", "publish", "replicate", "scan_max_changes",
            "cleanup_interval", "sleep_timeout", "polling_interval", "snapshot.enabled", "snapshot.interval",
            "snapshot.nats.replicas", "replication_log.replicas",
            "replication_log.update_existing", "nats.bind_address", "nats.server_config",
            "nats.connect_retries", "prometheus.", "logging.",
            "health_check.enable", "health_check.path", "health_check.detailed");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private ConfigFile() {}

    /** Reads {@code file} into {@code b}, expanding {@code ${VAR}} in string values from the environment. */
    public static void apply(Path file, TidemarkConfig.Builder b) {
        apply(file, b, System.getenv());
    }

    /** As {@link #apply(Path, TidemarkConfig.Builder)}, with {@code env} as the environment. */
    public static void apply(Path file, TidemarkConfig.Builder b, Map<String, String> env) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + " is not readable TOML: " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(root, "", unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("config " + file + ": unknown key(s) " + unknown);
        }
        try {
            expand(root, "", env);
            Path dir = file.toAbsolutePath().getParent();
            text(root, "db_path").ifPresent(v -> b.dbPath(resolved(dir, v)));
            text(root, "seq_map_path").ifPresent(v -> b.seqMapPath(resolved(dir, v)));
            text(root, "work_dir").ifPresent(v -> b.workDir(resolved(dir, v)));
            ClusterConfig c = b.cluster();
            c = c.withPrefixes(text(root, "nats.stream_prefix").orElse(c.streamPrefix()),
                    text(root, "nats.subject_prefix").orElse(c.subjectPrefix()));
            c = c.withShards(integer(root, "replication_log.shards", c.shards()));
            c = c.withMaxEntries(number(root, "replication_log.max_entries").orElse(c.maxEntries()));
            c = c.withCompressed(bool(root, "replication_log.compress", c.compressed()));
            c = c.withTimeZone(text(root, "time_zone").map(ConfigFile::zone).orElse(c.timeZone()));
            b.cluster(c);
            JsonNode urls = at(root, "nats.urls");
            if (urls != null) {
                if (!urls.isArray()) {
                    throw new IllegalArgumentException("nats.urls must be an array of strings, like"
                            + " [\"nats://127.0.0.1:4222\"]");
                }
                List<String> list = new ArrayList<>();
                urls.forEach(u -> list.add(u.asText()));
                if (!list.isEmpty()) {
                    b.natsUrls(list);
                }
            }
            b.natsSecurity(natsSecurity(root, dir));
            number(root, "nats.reconnect_wait_seconds").ifPresent(s -> b.reconnectWait(Duration.ofSeconds(s)));
            b.store(store(root, dir, b.cluster()));
            lease(root, dir).ifPresent(b::lease);
            b.bootCopy(bool(root, "snapshot.boot_copy", true));
            number(root, "snapshot.leader_ttl").ifPresent(ms -> b.leaseTtl(Duration.ofMillis(ms)));
            RetentionPolicy r = RetentionPolicy.DEFAULT;
            b.retention(new RetentionPolicy(
                    integer(root, "snapshot.retention.keep_last", r.keepLast()),
                    integer(root, "snapshot.retention.daily", r.daily()),
                    integer(root, "snapshot.retention.weekly", r.weekly()),
                    integer(root, "snapshot.retention.monthly", r.monthly()),
                    number(root, "snapshot.retention.grace_hours").map(Duration::ofHours).orElse(r.grace())));
            text(root, "health_check.bind").ifPresent(b::healthBind);
            text(root, "admin.bind").ifPresent(b::adminBind);
            text(root, "admin.token_file").ifPresent(v -> b.adminTokenFile(resolved(dir, v)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * HarmonyLite's {@code [snapshot] store}; when absent, HarmonyLite's default (nats) unless the
     * file has Tidemark's {@code [snapshot.file]} table.
     */
    private static StoreSpec store(JsonNode root, Path dir, ClusterConfig cluster) {
        String fallback = at(root, "snapshot.file") != null ? "file" : "nats";
        String kind = text(root, "snapshot.store").orElse(fallback);
        return switch (kind) {
            case "file" -> new StoreSpec.Folder(resolved(dir, text(root, "snapshot.file.path")
                    .orElse(TidemarkConfig.DEFAULT_STORE.toString())));
            case "nats" -> new StoreSpec.Nats(text(root, "snapshot.nats.bucket")
                    .orElse(StoreSpec.defaultNatsBucket(cluster.streamPrefix())));
            case "s3" -> new StoreSpec.S3(text(root, "snapshot.s3.bucket").orElse(null),
                    text(root, "snapshot.s3.path").orElse(""),
                    StoreSpec.S3.endpointUrl(text(root, "snapshot.s3.endpoint").orElse(null),
                            bool(root, "snapshot.s3.use_ssl", false)),
                    blankToNull(text(root, "snapshot.s3.access_key")), blankToNull(text(root, "snapshot.s3.secret")),
                    blankToNull(text(root, "snapshot.s3.session_token")));
            case "webdav" -> new StoreSpec.WebDav(text(root, "snapshot.webdav.url").orElseThrow(() ->
                    new IllegalArgumentException("snapshot.webdav.url is required for store = \"webdav\"")));
            case "sftp" -> new StoreSpec.Sftp(text(root, "snapshot.sftp.url").orElseThrow(() ->
                    new IllegalArgumentException("snapshot.sftp.url is required for store = \"sftp\"")),
                    text(root, "snapshot.sftp.known_hosts").map(v -> resolved(dir, v)).orElse(StoreSpec.Sftp.DEFAULT_KNOWN_HOSTS),
                    text(root, "snapshot.sftp.private_key").map(v -> resolved(dir, v)).orElse(null));
            default -> throw new IllegalArgumentException("snapshot.store '" + kind
                    + "' is not one of file, nats, s3, webdav, sftp");
        };
    }

    /**
     * {@code [nats]}: TLS files, and at most one way to authenticate: {@code user_name} with
     * {@code user_password}, {@code token}, {@code creds_file} or HarmonyLite's nkey {@code seed_file}.
     */
    private static NatsSecurity natsSecurity(JsonNode root, Path dir) {
        java.util.function.Function<String, Path> file = key -> {
            String v = blankToNull(text(root, key));
            return v == null ? null : resolved(dir, v);
        };
        String user = blankToNull(text(root, "nats.user_name"));
        String token = blankToNull(text(root, "nats.token"));
        NatsAuth auth = NatsAuth.exactlyOne(
                user == null ? null : new NatsAuth.UserPassword(user, text(root, "nats.user_password").orElse(""),
                        "nats.user_name"),
                token == null ? null : new NatsAuth.Token(token, "nats.token"),
                file.apply("nats.creds_file") == null ? null
                        : new NatsAuth.CredsFile(file.apply("nats.creds_file"), "nats.creds_file"),
                file.apply("nats.seed_file") == null ? null
                        : new NatsAuth.NkeySeedFile(file.apply("nats.seed_file"), "nats.seed_file"));
        return new NatsSecurity(file.apply("nats.ca_file"), file.apply("nats.cert_file"), file.apply("nats.key_file"),
                auth);
    }

    /** Tidemark's {@code [snapshot.lease]}, or the folder store's {@code lease_dir}; empty: the store's default. */
    private static java.util.Optional<LeaseSpec> lease(JsonNode root, Path dir) {
        java.util.Optional<String> type = text(root, "snapshot.lease.type");
        if (type.isEmpty()) {
            return text(root, "snapshot.file.lease_dir").map(v -> new LeaseSpec.Folder(resolved(dir, v)));
        }
        return java.util.Optional.of(switch (type.get()) {
            case "nats" -> new LeaseSpec.NatsKv(text(root, "snapshot.lease.bucket").orElse(LeaseSpec.HARMONYLITE_BUCKET));
            case "file" -> new LeaseSpec.Folder(resolved(dir, text(root, "snapshot.lease.path").orElseThrow(() ->
                    new IllegalArgumentException("snapshot.lease.path is required for lease type \"file\""))));
            case "dynamodb" -> new LeaseSpec.DynamoDb(text(root, "snapshot.lease.table").orElseThrow(() ->
                    new IllegalArgumentException("snapshot.lease.table is required for lease type \"dynamodb\"")),
                    text(root, "snapshot.lease.endpoint").orElse(null));
            default -> throw new IllegalArgumentException("snapshot.lease.type '" + type.get()
                    + "' is not one of nats, file, dynamodb");
        });
    }

    /** The nodes' zone (their TZ): replayed times are stored with its offset, as the nodes store them. */
    public static java.time.ZoneId zone(String id) {
        try {
            return java.time.ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("time_zone '" + id + "' is not a zone id like UTC or Europe/Berlin");
        }
    }

    /** A path from the file, relative to the file's folder, without {@code ..} in what logs show. */
    private static Path resolved(Path dir, String value) {
        return dir.resolve(value).normalize();
    }

    private static String blankToNull(java.util.Optional<String> v) {
        return v.filter(s -> !s.isBlank()).orElse(null);
    }

    private static boolean bool(JsonNode root, String key, boolean fallback) {
        JsonNode n = at(root, key);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false");
        }
        return n.booleanValue();
    }

    /**
     * Replaces {@code ${VAR}} (or {@code ${VAR:-default}}) in every string value; comments are not
     * values, so a variable named only in a comment needs no value. An unset variable without a
     * default is an error naming the key and the variable.
     */
    private static void expand(JsonNode node, String prefix, Map<String, String> env) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                expand(e.getValue(), key + ".", env);
            } else if (e.getValue().isTextual()) {
                e.setValue(com.fasterxml.jackson.databind.node.TextNode.valueOf(expand(e.getValue().asText(), key, env)));
            } else if (e.getValue().isArray()) {
                com.fasterxml.jackson.databind.node.ArrayNode array = (com.fasterxml.jackson.databind.node.ArrayNode) e.getValue();
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i).isTextual()) {
                        array.set(i, com.fasterxml.jackson.databind.node.TextNode.valueOf(
                                expand(array.get(i).asText(), key, env)));
                    }
                }
            }
        }
    }

    private static String expand(String value, String key, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                throw new IllegalArgumentException(key + " uses ${" + m.group(1) + "}, which is not set in the"
                        + " environment (give a default with ${" + m.group(1) + ":-value})");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void collectUnknown(JsonNode node, String prefix, List<String> unknown) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (USED.contains(key) || IGNORED_PREFIXES.stream().anyMatch(p -> key.equals(p) || key.startsWith(p))) {
                continue;
            }
            if (e.getValue().isObject()) {
                collectUnknown(e.getValue(), key + ".", unknown);
            } else {
                unknown.add(key);
            }
        }
    }

    private static JsonNode at(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n;
    }

    private static java.util.Optional<String> text(JsonNode root, String key) {
        JsonNode n = at(root, key);
        if (n == null) {
            return java.util.Optional.empty();
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string");
        }
        return java.util.Optional.of(n.asText());
    }

    private static int integer(JsonNode root, String key, int fallback) {
        long v = number(root, key).orElse((long) fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " is out of range: " + v);
        }
        return (int) v;
    }

    private static java.util.Optional<Long> number(JsonNode root, String key) {
        JsonNode n = at(root, key);
        if (n == null) {
            return java.util.Optional.empty();
        }
        if (!n.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + n);
        }
        return java.util.Optional.of(n.asLong());
    }
}
