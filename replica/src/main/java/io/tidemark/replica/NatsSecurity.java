package io.tidemark.replica;

import java.nio.file.Path;

/**
 * How Tidemark proves itself to NATS beyond user and password: TLS (HarmonyLite's {@code [nats]}
 * {@code ca_file}, {@code cert_file}, {@code key_file}, PEM) and a {@code .creds} file (JWT and nkey
 * seed, Tidemark's {@code creds_file}). Any field may be null.
 */
public record NatsSecurity(Path caFile, Path certFile, Path keyFile, Path credsFile) {
    public static final NatsSecurity NONE = new NatsSecurity(null, null, null, null);

    public NatsSecurity {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("nats.cert_file and nats.key_file go together (a client certificate"
                    + " and its key); got only " + (certFile != null ? "cert_file" : "key_file"));
        }
    }

    public boolean tls() {
        return caFile != null || certFile != null;
    }

    public NatsSecurity withTls(Path ca, Path cert, Path key) {
        return new NatsSecurity(ca != null ? ca : caFile, cert != null ? cert : certFile, key != null ? key : keyFile,
                credsFile);
    }

    public NatsSecurity withCreds(Path creds) {
        return new NatsSecurity(caFile, certFile, keyFile, creds);
    }
}
