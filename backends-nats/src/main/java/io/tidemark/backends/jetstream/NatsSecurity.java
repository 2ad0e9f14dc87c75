package io.tidemark.backends.jetstream;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How Tidemark connects to NATS securely: TLS from PEM files (HarmonyLite's {@code [nats]}
 * {@code ca_file}, {@code cert_file}, {@code key_file}; any may be null) and one {@link NatsAuth}.
 * The same for the CLI, the replica and the functions: each layers its sources (config file, then
 * the environment, then flags or a secret) with {@link #overlaidWith}.
 */
public record NatsSecurity(Path caFile, Path certFile, Path keyFile, NatsAuth auth) {
    public static final NatsSecurity NONE = new NatsSecurity(null, null, null, NatsAuth.NONE);

    /** The environment variables {@link #fromEnvironment} reads, named in docs and errors. */
    public static final String ENV_CA = "TIDEMARK_NATS_CA_FILE";
    public static final String ENV_CERT = "TIDEMARK_NATS_CERT_FILE";
    public static final String ENV_KEY = "TIDEMARK_NATS_KEY_FILE";
    public static final String ENV_USER = "TIDEMARK_NATS_USER";
    public static final String ENV_PASSWORD = "TIDEMARK_NATS_PASSWORD";
    public static final String ENV_TOKEN = "TIDEMARK_NATS_TOKEN";
    public static final String ENV_CREDS = "TIDEMARK_NATS_CREDS_FILE";
    public static final String ENV_NKEY = "TIDEMARK_NATS_NKEY_SEED_FILE";
    /** A secret's whole JSON ({@link NatsAuth#fromSecretJson}), as an ECS task injects it. */
    public static final String ENV_SECRET = "TIDEMARK_NATS_SECRET";

    public NatsSecurity {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("nats.cert_file and nats.key_file go together (a client certificate"
                    + " and its key); got only " + (certFile != null ? "cert_file" : "key_file"));
        }
        Objects.requireNonNull(auth);
    }

    /**
     * TLS files and authentication from {@code TIDEMARK_NATS_*} variables; blank counts as unset.
     * More than one way to authenticate is an error naming the variables.
     */
    public static NatsSecurity fromEnvironment(Map<String, String> env) {
        String user = set(env, ENV_USER);
        return new NatsSecurity(path(env, ENV_CA), path(env, ENV_CERT), path(env, ENV_KEY), NatsAuth.exactlyOne(
                user == null ? null : new NatsAuth.UserPassword(user, env.get(ENV_PASSWORD), ENV_USER),
                set(env, ENV_TOKEN) == null ? null : new NatsAuth.Token(env.get(ENV_TOKEN), ENV_TOKEN),
                path(env, ENV_CREDS) == null ? null : new NatsAuth.CredsFile(path(env, ENV_CREDS), ENV_CREDS),
                path(env, ENV_NKEY) == null ? null : new NatsAuth.NkeySeedFile(path(env, ENV_NKEY), ENV_NKEY),
                set(env, ENV_SECRET) == null ? null : NatsAuth.fromSecretJson(ENV_SECRET, env.get(ENV_SECRET))));
    }

    public boolean tls() {
        return caFile != null || certFile != null;
    }

    /**
     * This, with what {@code top} sets put over it: its CA, its certificate and key (a pair), its
     * authentication. A layer replaces the way to authenticate as a whole, so a token in the
     * environment does not combine with a password in the file.
     */
    public NatsSecurity overlaidWith(NatsSecurity top) {
        boolean cert = top.certFile() != null;
        return new NatsSecurity(top.caFile() != null ? top.caFile() : caFile, cert ? top.certFile() : certFile,
                cert ? top.keyFile() : keyFile, top.auth().isNone() ? auth : top.auth());
    }

    public NatsSecurity withAuth(NatsAuth a) {
        return new NatsSecurity(caFile, certFile, keyFile, a);
    }

    private static String set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    private static Path path(Map<String, String> env, String name) {
        String v = set(env, name);
        return v == null ? null : Path.of(v.trim());
    }
}
