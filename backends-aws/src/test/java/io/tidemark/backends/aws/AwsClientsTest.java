package io.tidemark.backends.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class AwsClientsTest {
    @Test
    void region_comesFromAwsRegion_thenAwsDefaultRegion_thenUsEast1() {
        assertThat(AwsClients.region(Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-west-2")))
                .isEqualTo(Region.EU_WEST_1);
        assertThat(AwsClients.region(Map.of("AWS_DEFAULT_REGION", "us-west-2"))).isEqualTo(Region.US_WEST_2);
        assertThat(AwsClients.region(Map.of("AWS_REGION", " "))).isEqualTo(AwsClients.DEFAULT_REGION);
    }

    @Test
    void clients_useTheRegionAndTheEndpointOverride() {
        AwsClients aws = AwsClients.fromEnvironment(Map.of("AWS_REGION", "eu-central-1"));
        try (S3Client s3 = aws.s3(java.net.URI.create("http://127.0.0.1:9"))) {
            assertThat(s3.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
            assertThat(s3.serviceClientConfiguration().endpointOverride()).hasValue(java.net.URI.create("http://127.0.0.1:9"));
        }
    }
}
