package io.tidemark.backends.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.AuthHandler;
import io.nats.client.Nats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * NATS credentials: a user and password, a token, or the content of a {@code .creds} file (user JWT
 * and NKey seed), all null for none. From a Secrets Manager secret holding JSON
 * {@code {"user": .., "password": ..}}, {@code {"token": ..}} or {@code {"creds": ".creds content"}}.
 * {@link #toString()} never prints a secret, and no error message quotes the secret's value.
 */
public record NatsCredentials(String user, String password, String token, String creds) {
    private static final Logger LOG = LoggerFactory.getLogger(NatsCredentials.class);
    public static final NatsCredentials NONE = new NatsCredentials(null, null, null, null);

    /** User and password, or a token; no creds file. */
    public NatsCredentials(String user, String password, String token) {
        this(user, password, token, null);
    }

    public static NatsCredentials fromSecret(SecretsManagerClient secrets, String secretId) {
        String value;
        LOG.debug("GetSecretValue {}", secretId);
        try {
            value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read NATS credentials secret " + secretId + ": " + e.getMessage(), e);
        }
        return parse(secretId, value);
    }

    /** The secret's JSON: exactly one of user (with password), token, or creds. */
    static NatsCredentials parse(String secretId, String json) {
        if (json == null) {
            throw new IllegalArgumentException("secret " + secretId + " has no text value (a binary secret?);"
                    + " expected JSON {user, password}, {token} or {creds}");
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            // Not e.getMessage(): the parser quotes the text it choked on, which is the secret.
            throw new IllegalArgumentException("secret " + secretId + " is not JSON {user, password}, {token} or {creds}");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("secret " + secretId + " is not a JSON object {user, password}, {token}"
                    + " or {creds}");
        }
        NatsCredentials c = new NatsCredentials(text(n, "user"), text(n, "password"), text(n, "token"), text(n, "creds"));
        int kinds = (c.user() != null ? 1 : 0) + (c.token() != null ? 1 : 0) + (c.creds() != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("secret " + secretId + " must hold exactly one of \"user\", \"token\""
                    + " or \"creds\", found " + kinds);
        }
        if (c.user() != null && c.password() == null) {
            throw new IllegalArgumentException("secret " + secretId + " has a \"user\" without a \"password\"");
        }
        if (c.creds() != null && !c.creds().contains("-----BEGIN NATS USER JWT-----")) {
            throw new IllegalArgumentException("secret " + secretId + " has \"creds\" that is not a NATS .creds file");
        }
        return c;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) && !n.get(field).asText().isEmpty() ? n.get(field).asText() : null;
    }

    /** The JWT/NKey handler for {@code Options.Builder.authHandler}, or null without a creds file. */
    public AuthHandler authHandler() {
        return creds == null ? null : Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "NatsCredentials[user=" + user + ", password=" + hidden(password) + ", token=" + hidden(token)
                + ", creds=" + hidden(creds) + "]";
    }

    private static String hidden(String secret) {
        return secret == null ? "none" : "***";
    }
}
