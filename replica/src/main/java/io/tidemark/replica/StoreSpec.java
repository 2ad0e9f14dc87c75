package io.tidemark.replica;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where snapshots live, as configured: HarmonyLite's {@code [snapshot] store} and its sub-table
 * ({@code nats}, {@code s3}, {@code webdav}, {@code sftp}), or Tidemark's own folder store. Each
 * backend roots Tidemark's layout where HarmonyLite nodes look, so {@code snapshot.db} lands where
 * a node restores from.
 */
public sealed interface StoreSpec {
    /** HarmonyLite's NATS object store bucket when {@code snapshot.nats.bucket} is not set. */
    static String defaultNatsBucket(String streamPrefix) {
        return streamPrefix + "-snapshot-store";
    }

    /** For logs: never a password or secret. */
    String describe();

    /** A folder (Tidemark's own; not a HarmonyLite store). */
    record Folder(Path dir) implements StoreSpec {
        public String describe() {
            return dir.toString();
        }
    }

    /** A NATS object store bucket; HEAD in the KV bucket {@code <bucket>-head}. */
    record Nats(String bucket) implements StoreSpec {
        public Nats {
            if (bucket == null || !bucket.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("snapshot.nats.bucket must be letters, digits, '-' or '_', got '"
                        + bucket + "'");
            }
        }

        public String describe() {
            return "nats:" + bucket;
        }
    }

    /**
     * S3 or an S3-compatible server: HarmonyLite's {@code bucket}, {@code path} (the prefix),
     * {@code endpoint} (host:port, or a URL), {@code use_ssl} and static credentials; null
     * credentials mean the AWS default chain.
     */
    record S3(String bucket, String prefix, String endpoint, String accessKey, String secret, String sessionToken)
            implements StoreSpec {
        public S3 {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("snapshot.s3.bucket is required for an S3 store");
            }
            prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        }

        /** {@code s3://bucket/prefix}, as the {@code --store} flag takes it. */
        static S3 parse(String url, String endpoint) {
            Matcher m = Pattern.compile("s3://([^/]+)/?(.*)").matcher(url);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + url + "' is not an S3 location like s3://bucket/prefix");
            }
            return new S3(m.group(1), m.group(2), endpoint, null, null, null);
        }

        /** HarmonyLite gives host:port and use_ssl; the SDK wants a URL. */
        static String endpointUrl(String endpoint, boolean useSsl) {
            if (endpoint == null || endpoint.isBlank() || endpoint.contains("://")) {
                return endpoint;
            }
            return (useSsl ? "https://" : "http://") + endpoint;
        }

        public String describe() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    /** WebDAV, HarmonyLite's url form: {@code http://host/base?dir=/path&login=USER&secret=PASS}. */
    record WebDav(String url) implements StoreSpec {
        public String describe() {
            return url.replaceAll("secret=[^&]*", "secret=***");
        }
    }

    /**
     * SFTP, HarmonyLite's url form {@code sftp://user:password@host:22/path}, plus what Tidemark
     * adds: the {@code known_hosts} the server's key must be in (HarmonyLite accepts any host key;
     * Tidemark does not) and optionally a private key instead of a password.
     */
    record Sftp(String url, Path knownHosts, Path privateKey) implements StoreSpec {
        /** OpenSSH's own known_hosts of the user running Tidemark. */
        public static final Path DEFAULT_KNOWN_HOSTS = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");

        public Sftp(String url) {
            this(url, DEFAULT_KNOWN_HOSTS, null);
        }

        public String describe() {
            return url.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
        }
    }
}
