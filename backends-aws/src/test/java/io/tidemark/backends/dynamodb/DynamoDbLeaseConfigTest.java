package io.tidemark.backends.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DynamoDbLeaseConfigTest {
    @Test
    void defaults_andScopedKeys() {
        DynamoDbLeaseConfig c = DynamoDbLeaseConfig.of("tidemark-leases", "harmonylite");
        assertThat(c.ttlGrace()).isEqualTo(DynamoDbLeaseConfig.DEFAULT_TTL_GRACE);
        assertThat(c.key("snapshot-leader")).isEqualTo("harmonylite/snapshot-leader");
        assertThat(DynamoDbLeaseConfig.builder().table("tidemark-leases").build().key("snapshot-leader"))
                .isEqualTo("snapshot-leader");
    }

    @Test
    void rejectsBadTableScopeAndGrace() {
        assertThatThrownBy(() -> DynamoDbLeaseConfig.of("x", "c")).hasMessageContaining("not a valid DynamoDB table");
        assertThatThrownBy(() -> DynamoDbLeaseConfig.of(null, "c")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DynamoDbLeaseConfig.of("leases", "a/b")).hasMessageContaining("must not contain '/'");
        assertThatThrownBy(() -> DynamoDbLeaseConfig.builder().table("leases").ttlGrace(Duration.ofMinutes(5)).build())
                .hasMessageContaining("ttlGrace");
    }
}
