package io.tidemark.backends.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reads {@link NatsAuth#fromSecretJson}'s JSON; kept apart so NatsAuth stays about connecting. */
final class SecretJson {
    private static final String SHAPE = "{user, password}, {token} or {creds}";

    private SecretJson() {}

    static NatsAuth parse(String source, String json) {
        if (json == null) {
            throw new IllegalArgumentException(source + " has no text value (a binary secret?); expected JSON " + SHAPE);
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            // Not e.getMessage(): the parser quotes the text it choked on, which is the secret.
            throw new IllegalArgumentException(source + " is not JSON " + SHAPE);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(source + " is not a JSON object " + SHAPE);
        }
        String user = text(n, "user");
        String token = text(n, "token");
        String creds = text(n, "creds");
        int kinds = (user != null ? 1 : 0) + (token != null ? 1 : 0) + (creds != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException(source + " must hold exactly one of \"user\", \"token\" or \"creds\","
                    + " found " + kinds);
        }
        if (user != null) {
            String password = text(n, "password");
            if (password == null) {
                throw new IllegalArgumentException(source + " has a \"user\" without a \"password\"");
            }
            return new NatsAuth.UserPassword(user, password, source);
        }
        if (token != null) {
            return new NatsAuth.Token(token, source);
        }
        if (!creds.contains("-----BEGIN NATS USER JWT-----")) {
            throw new IllegalArgumentException(source + " has \"creds\" that is not a NATS .creds file");
        }
        return new NatsAuth.Creds(creds, source);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) && !n.get(field).asText().isEmpty() ? n.get(field).asText() : null;
    }
}
