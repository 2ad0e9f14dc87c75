package io.tidemark.backends.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds AWS clients with the URL-connection HTTP client (light: fast cold starts), a region, and an
 * optional endpoint override for emulators (null for AWS itself; an override also turns on S3 path
 * style). Callers build each client once and pass it in.
 */
public record AwsClients(Region region, AwsCredentialsProvider credentials) {
    /** Used when neither AWS_REGION nor AWS_DEFAULT_REGION is set (Lambda always sets AWS_REGION). */
    public static final Region DEFAULT_REGION = Region.US_EAST_1;

    public AwsClients {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** Region from AWS_REGION (as Lambda and ECS set it), else AWS_DEFAULT_REGION, else us-east-1. */
    public static AwsClients fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static AwsClients fromEnvironment(Map<String, String> env) {
        return new AwsClients(region(env), DefaultCredentialsProvider.builder().build());
    }

    /**
     * Static keys, as HarmonyLite's {@code [snapshot.s3]} gives them (access_key, secret,
     * session_token); the region as {@link #fromEnvironment()}.
     */
    public static AwsClients withStaticCredentials(String accessKey, String secret, String sessionToken) {
        if (accessKey == null || accessKey.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("S3 credentials need both access_key and secret");
        }
        var creds = sessionToken == null || sessionToken.isBlank()
                ? software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKey, secret)
                : software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(accessKey, secret, sessionToken);
        return new AwsClients(region(System.getenv()),
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(creds));
    }

    static Region region(Map<String, String> env) {
        for (String name : new String[]{"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Region.of(value.trim());
            }
        }
        return DEFAULT_REGION;
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60)).build();
    }

    public S3Client s3(URI endpoint) {
        var b = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http());
        if (endpoint != null) {
            b.endpointOverride(endpoint).forcePathStyle(true);
        }
        return b.build();
    }

    public DynamoDbClient dynamoDb(URI endpoint) {
        var b = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    public EventBridgeClient eventBridge(URI endpoint) {
        var b = EventBridgeClient.builder().region(region).credentialsProvider(credentials).httpClient(http());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    public LambdaClient lambda(URI endpoint) {
        var b = LambdaClient.builder().region(region).credentialsProvider(credentials).httpClient(http());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    public SecretsManagerClient secrets(URI endpoint) {
        var b = SecretsManagerClient.builder().region(region).credentialsProvider(credentials).httpClient(http());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }
}
