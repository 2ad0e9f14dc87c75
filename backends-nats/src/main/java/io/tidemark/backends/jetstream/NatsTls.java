package io.tidemark.backends.jetstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An {@link SSLContext} from PEM files: a CA bundle, a client certificate and its key (HarmonyLite's {@code [nats]} keys). */
public final class NatsTls {
    private static final char[] IN_MEMORY = "tidemark".toCharArray();

    private NatsTls() {}

    /** Null CA: the JVM's default trust; null certificate: no client certificate. */
    public static SSLContext context(NatsSecurity s) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (s.caFile() != null) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(s.caFile(), "nats.ca_file (TIDEMARK_NATS_CA_FILE)")) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (s.certFile() != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", privateKey(s.keyFile()), IN_MEMORY,
                        certificates(s.certFile(), "nats.cert_file (TIDEMARK_NATS_CERT_FILE)").toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, IN_MEMORY);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up NATS TLS: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path pem, String key) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(key + " " + pem + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " " + pem + " is not readable: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " " + pem + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path pem) {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("nats.key_file (TIDEMARK_NATS_KEY_FILE) " + pem + " is not readable: " + e.getMessage(), e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int from = text.indexOf(begin);
        int to = text.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("nats.key_file (TIDEMARK_NATS_KEY_FILE) " + pem + " is not an unencrypted PKCS#8 PEM key"
                    + " (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("nats.key_file (TIDEMARK_NATS_KEY_FILE) " + pem + " is not an RSA, EC or Ed25519 key");
    }
}
