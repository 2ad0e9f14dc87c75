package io.tidemark.backends.webdav;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a WebDAV store lives and how it logs in. {@code baseUrl} is the server's base (scheme, host,
 * port, optional path; no query credentials, no trailing slash); objects live under
 * {@code baseUrl/dir/}, {@code dir} without leading or trailing slashes ("" for the base itself).
 * {@code lockTimeout} is the server-side timeout of the LOCK that guards compare-and-set (a crashed
 * holder's lock expires after it); {@code lockWait} is how long a compare-and-set waits for that lock.
 */
public record WebDavStoreConfig(URI baseUrl, String dir, String login, String secret, Duration lockTimeout,
                                Duration lockWait, Duration requestTimeout) {
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);

    public WebDavStoreConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("WebDAV URL must start with http:// or https://, got '"
                    + redact(baseUrl) + "'");
        }
        if (baseUrl.getHost() == null || baseUrl.getHost().isBlank()) {
            throw new IllegalArgumentException("WebDAV URL has no host: '" + redact(baseUrl) + "'");
        }
        if (baseUrl.getRawUserInfo() != null) {
            throw new IllegalArgumentException("WebDAV URL must not carry user:password@; use login= and secret=");
        }
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
        baseUrl = URI.create(baseUrl.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + baseUrl.getRawAuthority()
                + path + (baseUrl.getRawQuery() == null ? "" : "?" + baseUrl.getRawQuery()));
        dir = dir == null ? "" : dir.replaceAll("^/+|/+$", "");
        for (String segment : dir.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("WebDAV dir must not contain '.' or '..': '" + dir + "'");
            }
        }
        if (login == null || login.isEmpty()) {
            throw new IllegalArgumentException("WebDAV store needs a login (login= in HarmonyLite's URL)");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("WebDAV store needs a secret (secret= in HarmonyLite's URL)");
        }
        lockTimeout = positive(lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout, "lockTimeout");
        lockWait = positive(lockWait == null ? DEFAULT_LOCK_WAIT : lockWait, "lockWait");
        requestTimeout = positive(requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout, "requestTimeout");
    }

    /**
     * Parses HarmonyLite's form {@code http://host:port/base?dir=/snapshots&login=USER&secret=PASS}:
     * dir, login and secret leave the query; what remains (other parameters included) is the base.
     */
    public static WebDavStoreConfig fromHarmonyLiteUrl(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage().replaceAll("secret=[^&]*", "secret=***"), e);
        }
        String dir = null;
        String login = null;
        String secret = null;
        List<String> rest = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (name) {
                    case "dir" -> dir = value;
                    case "login" -> login = value;
                    case "secret" -> secret = value;
                    default -> rest.add(pair);
                }
            }
        }
        String base = (uri.getScheme() == null ? "" : uri.getScheme() + ":") + "//"
                + (uri.getRawAuthority() == null ? "" : uri.getRawAuthority())
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (rest.isEmpty() ? "" : "?" + String.join("&", rest));
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("WebDAV URL must look like http://host:port/path?dir=...&login=...&secret=...,"
                    + " got '" + redact(uri) + "'");
        }
        return builder().baseUrl(URI.create(base)).dir(dir).login(login).secret(secret).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The URL of {@code relative} (a key, or a folder ending in '/') under the store's folder. */
    URI resolve(String relative) {
        String path = baseUrl.getRawPath() + "/" + (dir.isEmpty() ? "" : encodePath(dir) + "/") + encodePath(relative);
        return URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + path
                + (baseUrl.getRawQuery() == null ? "" : "?" + baseUrl.getRawQuery()));
    }

    /** The URL path of the store's folder, with a trailing slash (hrefs in PROPFIND answers start with it). */
    String rootPath() {
        return baseUrl.getRawPath() + "/" + (dir.isEmpty() ? "" : encodePath(dir) + "/");
    }

    /** Percent-encodes each segment of a slash-separated path. */
    static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (byte c : path.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "WebDavStoreConfig[baseUrl=" + baseUrl + ", dir=" + dir + ", login=" + login + ", secret=***]";
    }

    private static String redact(URI uri) {
        return uri.toString().replaceAll("secret=[^&]*", "secret=***").replaceAll("//[^/@]*@", "//***@");
    }

    private static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    /** Builds a config; {@link #build()} validates. baseUrl, login and secret are required. */
    public static final class Builder {
        private URI baseUrl;
        private String dir = "";
        private String login;
        private String secret;
        private Duration lockTimeout;
        private Duration lockWait;
        private Duration requestTimeout;

        private Builder() {}

        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(baseUrl));
        }

        /** The store's folder under the base; null or "" for the base itself. */
        public Builder dir(String dir) {
            this.dir = dir;
            return this;
        }

        public Builder login(String login) {
            this.login = login;
            return this;
        }

        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
            return this;
        }

        public Builder lockWait(Duration lockWait) {
            this.lockWait = lockWait;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public WebDavStoreConfig build() {
            return new WebDavStoreConfig(baseUrl, dir, login, secret, lockTimeout, lockWait, requestTimeout);
        }
    }
}
