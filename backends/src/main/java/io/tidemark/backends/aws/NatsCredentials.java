package io.tidemark.backends.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * NATS credentials: a user and password, or a token. From a Secrets Manager secret holding JSON
 * {@code {"user": .., "password": ..}} or {@code {"token": ..}}. {@link #toString()} never prints
 * a secret.
 */
public record NatsCredentials(String user, String password, String token) {
    public static final NatsCredentials NONE = new NatsCredentials(null, null, null);

    public static NatsCredentials fromSecret(SecretsManagerClient secrets, String secretId) {
        String value;
        try {
            value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read NATS credentials secret " + secretId + ": " + e.getMessage(), e);
        }
        try {
            JsonNode n = new ObjectMapper().readTree(value);
            NatsCredentials c = new NatsCredentials(text(n, "user"), text(n, "password"), text(n, "token"));
            if (c.user() == null && c.token() == null) {
                throw new IllegalArgumentException("secret " + secretId + " has neither \"user\" nor \"token\"");
            }
            return c;
        } catch (IOException e) {
            throw new IllegalArgumentException("secret " + secretId + " is not JSON {user, password} or {token}");
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    @Override
    public String toString() {
        return "NatsCredentials[user=" + user + ", password=" + (password == null ? "none" : "***") + ", token="
                + (token == null ? "none" : "***") + "]";
    }
}
