package io.tidemark.backends.sftp;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where an SFTP store lives and how it logs in. {@code path} is the absolute remote folder of the
 * store (no trailing slash). Exactly how to authenticate: {@code password}, {@code privateKey} (an
 * OpenSSH or PEM key file; {@code passphrase} when it is encrypted), or both. The server's host key
 * is checked against {@code knownHosts} (OpenSSH format); there is no trust-on-first-use.
 * {@code lockStaleAfter}: a compare-and-set lock older than this (by the server's clock) belongs to
 * a dead holder and is broken; {@code lockWait}: how long a compare-and-set waits for the lock;
 * {@code maxChannels}: how many SFTP channels the store opens at once on its session (an open
 * stream holds one until it is closed).
 */
public record SftpStoreConfig(String host, int port, String user, String password, Path privateKey,
                              String passphrase, Path knownHosts, String path, Duration lockStaleAfter,
                              Duration lockWait, Duration connectTimeout, int maxChannels) {
    public static final int DEFAULT_PORT = 22;
    public static final Duration DEFAULT_LOCK_STALE_AFTER = Duration.ofSeconds(60);
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** Below OpenSSH's default {@code MaxSessions} (10) channels per session. */
    public static final int DEFAULT_MAX_CHANNELS = 8;

    public SftpStoreConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("SFTP store needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SFTP port must be 1..65535, got " + port);
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("SFTP store needs a user (sftp://user@host/...)");
        }
        if ((password == null || password.isEmpty()) && privateKey == null) {
            throw new IllegalArgumentException("SFTP store needs a password (sftp://user:password@host/...)"
                    + " or a private key file");
        }
        Objects.requireNonNull(knownHosts, "knownHosts: the SFTP server's host key must be checked against a"
                + " known_hosts file");
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("SFTP store path must be absolute, got '" + path + "'");
        }
        path = path.replaceAll("/+$", "");
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("SFTP store path must not contain '.' or '..': '" + path + "'");
            }
        }
        lockStaleAfter = positive(lockStaleAfter == null ? DEFAULT_LOCK_STALE_AFTER : lockStaleAfter, "lockStaleAfter");
        lockWait = positive(lockWait == null ? DEFAULT_LOCK_WAIT : lockWait, "lockWait");
        connectTimeout = positive(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout, "connectTimeout");
        if (maxChannels < 1 || maxChannels > 256) {
            throw new IllegalArgumentException("maxChannels must be 1..256, got " + maxChannels);
        }
    }

    /**
     * Starts a builder from HarmonyLite's form {@code sftp://user:password@host:22/path} (password and
     * port optional). The caller adds {@link Builder#knownHosts} (and a key, if no password) and builds.
     */
    public static Builder fromHarmonyLiteUrl(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + redact(e.getInput()), e);
        }
        if (!"sftp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("SFTP URL must start with sftp://, got '" + redact(url) + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("SFTP URL has no host: '" + redact(url) + "'");
        }
        Builder b = builder().host(uri.getHost()).port(uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            b.user(decode(colon < 0 ? info : info.substring(0, colon)));
            if (colon >= 0) {
                b.password(decode(info.substring(colon + 1)));
            }
        }
        String path = uri.getPath();
        return b.path(path == null || path.isEmpty() ? null : path);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The remote path of {@code relative} under the store's folder. */
    String resolve(String relative) {
        return path + "/" + relative;
    }

    @Override
    public String toString() {
        return "SftpStoreConfig[" + user + "@" + host + ":" + port + path + ", password=" + (password == null ? "none" : "***")
                + ", privateKey=" + privateKey + ", knownHosts=" + knownHosts + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
    }

    private static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    /** Builds a config; {@link #build()} validates. */
    public static final class Builder {
        private String host;
        private int port = DEFAULT_PORT;
        private String user;
        private String password;
        private Path privateKey;
        private String passphrase;
        private Path knownHosts;
        private String path;
        private Duration lockStaleAfter;
        private Duration lockWait;
        private Duration connectTimeout;
        private int maxChannels = DEFAULT_MAX_CHANNELS;

        private Builder() {}

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** A private key file for public-key authentication; {@code passphrase} null when unencrypted. */
        public Builder privateKey(Path privateKey, String passphrase) {
            this.privateKey = privateKey;
            this.passphrase = passphrase;
            return this;
        }

        /** An OpenSSH known_hosts file holding the server's host key. */
        public Builder knownHosts(Path knownHosts) {
            this.knownHosts = knownHosts;
            return this;
        }

        /** The store's absolute remote folder. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        public Builder lockStaleAfter(Duration lockStaleAfter) {
            this.lockStaleAfter = lockStaleAfter;
            return this;
        }

        public Builder lockWait(Duration lockWait) {
            this.lockWait = lockWait;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** At most this many SFTP channels at once; keep it at or below the server's MaxSessions. */
        public Builder maxChannels(int maxChannels) {
            this.maxChannels = maxChannels;
            return this;
        }

        public SftpStoreConfig build() {
            return new SftpStoreConfig(host, port, user, password, privateKey, passphrase, knownHosts, path,
                    lockStaleAfter, lockWait, connectTimeout, maxChannels);
        }
    }
}
