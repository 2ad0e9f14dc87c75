package io.tidemark.backends.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.fixtures.aws.DynamoDbLocalExtension;
import io.tidemark.fixtures.contract.LeaseManagerContract;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbLeaseManagerIT extends LeaseManagerContract {
    @RegisterExtension
    static DynamoDbLocalExtension ddb = new DynamoDbLocalExtension();

    @Override
    protected LeaseManager newManager() {
        return new DynamoDbLeaseManager(ddb.client(), DynamoDbLeaseConfig.of(ddb.newLeaseTable(), "harmonylite"));
    }

    @Test
    void item_carriesTokenExpiryAndATtlAttributeAfterExpiry() {
        String table = ddb.newLeaseTable();
        DynamoDbLeaseManager m = new DynamoDbLeaseManager(ddb.client(), DynamoDbLeaseConfig.of(table, "c1"));
        Lease lease = m.acquire("snapshot-leader", "builder-a", Duration.ofSeconds(30));
        Map<String, AttributeValue> item = ddb.client().getItem(b -> b.tableName(table)
                .key(Map.of("name", AttributeValue.builder().s("c1/snapshot-leader").build()))).item();
        assertThat(item.get("holder").s()).isEqualTo("builder-a");
        assertThat(Long.parseLong(item.get("token").n())).isEqualTo(lease.token());
        assertThat(Long.parseLong(item.get("expiresAt").n())).isEqualTo(lease.expiresAt().toEpochMilli());
        assertThat(Long.parseLong(item.get("ttl").n())).isGreaterThan(lease.expiresAt().getEpochSecond());
    }

    @Test
    void clustersSharingATable_haveIndependentLeases() {
        String table = ddb.newLeaseTable();
        Lease a = new DynamoDbLeaseManager(ddb.client(), DynamoDbLeaseConfig.of(table, "a"))
                .acquire("snapshot-leader", "x", Duration.ofSeconds(30));
        Lease b = new DynamoDbLeaseManager(ddb.client(), DynamoDbLeaseConfig.of(table, "b"))
                .acquire("snapshot-leader", "y", Duration.ofSeconds(30));
        assertThat(a.token()).isEqualTo(1);
        assertThat(b.token()).isEqualTo(1);
    }
}
