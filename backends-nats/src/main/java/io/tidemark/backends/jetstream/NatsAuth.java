package io.tidemark.backends.jetstream;

import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Tidemark proves who it is to NATS: at most one of a user and password, a token, a
 * {@code .creds} file (or its content, from a secret) or a bare nkey seed file (HarmonyLite's
 * {@code [nats] seed_file}). Each kind carries the setting it came from, so an error can name it.
 * {@link #toString()} never prints a secret.
 */
public sealed interface NatsAuth {
    NatsAuth NONE = new None();

    /** The setting this came from ({@code nats.token}, {@code TIDEMARK_NATS_TOKEN}, ...), for messages. */
    String source();

    /** Sets this on the connection options; a file that cannot be read is an error naming its setting. */
    void applyTo(Options.Builder b);

    default boolean isNone() {
        return this instanceof None;
    }

    /**
     * The one kind among {@code candidates} that is set, or {@link #NONE}; two or more is an error
     * naming each setting, since NATS would use one silently and the user could not tell which.
     */
    static NatsAuth exactlyOne(NatsAuth... candidates) {
        List<NatsAuth> set = new ArrayList<>();
        for (NatsAuth a : candidates) {
            if (a != null && !a.isNone()) {
                set.add(a);
            }
        }
        if (set.size() > 1) {
            throw new IllegalArgumentException("NATS authentication is set more than once (" + String.join(" and ",
                    set.stream().map(NatsAuth::source).toList()) + "); keep exactly one of them");
        }
        return set.isEmpty() ? NONE : set.get(0);
    }

    /**
     * A secret's JSON, as Secrets Manager or an ECS secret holds it: exactly one of
     * {@code {"user": .., "password": ..}}, {@code {"token": ..}} or {@code {"creds": ".creds content"}}.
     * No error message quotes the value: it is the secret.
     *
     * @param source what held it ({@code secret ARN}, {@code TIDEMARK_NATS_SECRET}), named in errors
     */
    static NatsAuth fromSecretJson(String source, String json) {
        return SecretJson.parse(source, json);
    }

    record None() implements NatsAuth {
        @Override
        public String source() {
            return "none";
        }

        @Override
        public void applyTo(Options.Builder b) {}
    }

    record UserPassword(String user, String password, String source) implements NatsAuth {
        public UserPassword {
            Objects.requireNonNull(user);
            password = password == null ? "" : password;
        }

        @Override
        public void applyTo(Options.Builder b) {
            b.userInfo(user, password);
        }

        @Override
        public String toString() {
            return "UserPassword[user=" + user + ", password=***, source=" + source + "]";
        }
    }

    record Token(String token, String source) implements NatsAuth {
        public Token {
            Objects.requireNonNull(token);
        }

        @Override
        public void applyTo(Options.Builder b) {
            b.token(token.toCharArray());
        }

        @Override
        public String toString() {
            return "Token[***, source=" + source + "]";
        }
    }

    /** A {@code .creds} file on disk: the user JWT and its nkey seed. */
    record CredsFile(Path file, String source) implements NatsAuth {
        @Override
        public void applyTo(Options.Builder b) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("NATS credentials file " + file + " (" + source + ") is not readable");
            }
            b.credentialPath(file.toString());
        }
    }

    /** The content of a {@code .creds} file, as a secret holds it. */
    record Creds(String content, String source) implements NatsAuth {
        @Override
        public void applyTo(Options.Builder b) {
            b.authHandler(Nats.staticCredentials(content.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Creds[***, source=" + source + "]";
        }
    }

    /** A file holding a user's nkey seed ({@code SU...}), as {@code nk -gen user} writes it. */
    record NkeySeedFile(Path file, String source) implements NatsAuth {
        private static final Pattern USER_SEED = Pattern.compile("\\bSU[A-Z2-7]{56}\\b");

        @Override
        public void applyTo(Options.Builder b) {
            b.authHandler(Nats.staticCredentials(null, seed().toCharArray()));
        }

        String seed() {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException("NATS nkey seed file " + file + " (" + source + ") is not readable: "
                        + e.getMessage(), e);
            }
            Matcher m = USER_SEED.matcher(text);
            if (!m.find()) {
                throw new IllegalArgumentException("NATS nkey seed file " + file + " (" + source + ") holds no user"
                        + " nkey seed (a 58-character SU... line, as `nk -gen user` writes)");
            }
            return m.group();
        }
    }
}
