package io.tidemark.backends.aws;

import io.tidemark.backends.jetstream.NatsAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * NATS credentials from a Secrets Manager secret holding JSON {@code {"user": .., "password": ..}},
 * {@code {"token": ..}} or {@code {"creds": ".creds content"}} (user JWT and nkey seed), as the
 * {@link NatsAuth} the connection uses. No error message quotes the secret's value.
 */
public final class NatsCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(NatsCredentials.class);

    private NatsCredentials() {}

    public static NatsAuth fromSecret(SecretsManagerClient secrets, String secretId) {
        String value;
        LOG.debug("GetSecretValue {}", secretId);
        try {
            value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read NATS credentials secret " + secretId + ": " + e.getMessage(), e);
        }
        return parse(secretId, value);
    }

    /** The secret's JSON, read as {@link NatsAuth#fromSecretJson} reads it. */
    static NatsAuth parse(String secretId, String json) {
        return NatsAuth.fromSecretJson("secret " + secretId, json);
    }
}
