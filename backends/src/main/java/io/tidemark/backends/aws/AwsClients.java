package io.tidemark.backends.aws;

import java.net.URI;
import java.time.Duration;
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
 * optional endpoint override for emulators. Callers build each client once and pass it in.
 */
public record AwsClients(Region region, AwsCredentialsProvider credentials) {
    public static AwsClients fromEnvironment() {
        String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        return new AwsClients(Region.of(region), DefaultCredentialsProvider.builder().build());
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
