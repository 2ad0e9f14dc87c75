package io.tidemark.backends.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseHeldException;
import io.tidemark.core.lease.LeaseLostException;
import io.tidemark.core.lease.LeaseManager;
import io.tidemark.fixtures.aws.DynamoDbLocalExtension;
import io.tidemark.fixtures.contract.LeaseManagerContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The lease contract on DynamoDB Local (atomic conditional writes: the race test holds), plus the item's shape. */
class DynamoDbLeaseManagerIT extends LeaseManagerContract {
    @RegisterExtension
    static DynamoDbLocalExtension ddb = new DynamoDbLocalExtension();

    private static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    @Override
    protected LeaseManager newManager() {
        return new DynamoDbLeaseManager(ddb.client(), DynamoDbLeaseConfig.of(ddb.newLeaseTable(), "harmonylite"));
    }

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        volatile Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static DynamoDbLeaseManager manager(String table, String scope, Clock clock) {
        return new DynamoDbLeaseManager(ddb.client(), DynamoDbLeaseConfig.builder().table(table).scope(scope)
                .clock(clock).build());
    }

    private static Map<String, AttributeValue> item(String table, String name) {
        return ddb.client().getItem(b -> b.tableName(table).key(Map.of("name", AttributeValue.builder().s(name).build()))
                .consistentRead(true)).item();
    }

    private static long n(Map<String, AttributeValue> item, String attribute) {
        return Long.parseLong(item.get(attribute).n());
    }

    @Test
    void item_carriesHolderTokenExpiryAndATtlAttributeAGracePeriodAfterExpiry() {
        String table = ddb.newLeaseTable();
        Lease lease = manager(table, "c1", new ManualClock(T0)).acquire("snapshot-leader", "builder-a",
                Duration.ofSeconds(30));
        Map<String, AttributeValue> item = item(table, "c1/snapshot-leader");
        assertThat(item.get("holder").s()).isEqualTo("builder-a");
        assertThat(n(item, "token")).isEqualTo(lease.token());
        assertThat(n(item, "expiresAt")).isEqualTo(T0.plusSeconds(30).toEpochMilli()).isEqualTo(lease.expiresAt()
                .toEpochMilli());
        assertThat(n(item, "ttl")).isEqualTo(T0.plusSeconds(30).plus(DynamoDbLeaseConfig.DEFAULT_TTL_GRACE)
                .getEpochSecond());
    }

    @Test
    void renew_movesExpiryByTheGrantedTtl_andKeepsTheTtlAttributePastIt() {
        String table = ddb.newLeaseTable();
        ManualClock clock = new ManualClock(T0);
        DynamoDbLeaseManager m = manager(table, "c1", clock);
        Lease lease = m.acquire("snapshot-leader", "a", Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(20));
        Lease renewed = m.renew(lease);
        assertThat(renewed.expiresAt()).isEqualTo(T0.plusSeconds(80));
        assertThat(renewed.token()).isEqualTo(lease.token());
        Map<String, AttributeValue> item = item(table, "c1/snapshot-leader");
        assertThat(n(item, "expiresAt")).isEqualTo(T0.plusSeconds(80).toEpochMilli());
        assertThat(n(item, "ttl")).isGreaterThan(T0.plusSeconds(80).plus(DynamoDbLeaseConfig.DEFAULT_TTL_GRACE)
                .getEpochSecond());
    }

    @Test
    void leaseHeld_namesTheCurrentHolderAndItsExpiry() {
        String table = ddb.newLeaseTable();
        ManualClock clock = new ManualClock(T0);
        DynamoDbLeaseManager m = manager(table, "c1", clock);
        m.acquire("snapshot-leader", "builder-a", Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> m.acquire("snapshot-leader", "builder-b", Duration.ofMinutes(15)))
                .isInstanceOfSatisfying(LeaseHeldException.class, e -> {
                    assertThat(e.holder()).isEqualTo("builder-a");
                    assertThat(e.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
                    assertThat(e.name()).isEqualTo("snapshot-leader");
                });
    }

    @Test
    void tokenStillGrows_afterTtlRemovedTheItem() {
        String table = ddb.newLeaseTable();
        ManualClock clock = new ManualClock(T0);
        DynamoDbLeaseManager m = manager(table, "c1", clock);
        Lease before = m.acquire("snapshot-leader", "a", Duration.ofMinutes(5));
        for (int i = 0; i < 5; i++) {
            before = m.acquire("snapshot-leader", "a", Duration.ofMinutes(5));
        }
        m.release(before);
        // What DynamoDB's TTL does once the grace period has passed.
        clock.advance(DynamoDbLeaseConfig.DEFAULT_TTL_GRACE.plusDays(1));
        ddb.client().deleteItem(b -> b.tableName(table)
                .key(Map.of("name", AttributeValue.builder().s("c1/snapshot-leader").build())));
        Lease after = m.acquire("snapshot-leader", "b", Duration.ofMinutes(5));
        assertThat(after.token()).isGreaterThan(before.token());
    }

    @Test
    void release_keepsTheItem_andARenewalAfterItIsLost() {
        String table = ddb.newLeaseTable();
        DynamoDbLeaseManager m = manager(table, "c1", new ManualClock(T0));
        Lease lease = m.acquire("snapshot-leader", "a", Duration.ofMinutes(5));
        m.release(lease);
        Map<String, AttributeValue> item = item(table, "c1/snapshot-leader");
        assertThat(n(item, "token")).isEqualTo(lease.token());
        assertThat(n(item, "expiresAt")).isZero();
        assertThatThrownBy(() -> m.renew(lease)).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("snapshot-leader");
    }

    @Test
    void renew_ofAnExpiredLeaseNobodyTook_extendsIt_butNotOnceTaken() {
        String table = ddb.newLeaseTable();
        ManualClock clock = new ManualClock(T0);
        DynamoDbLeaseManager m = manager(table, "c1", clock);
        Lease lease = m.acquire("snapshot-leader", "a", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(40));
        Lease renewed = m.renew(lease);
        assertThat(renewed.expiresAt()).isEqualTo(T0.plusSeconds(70));
        clock.advance(Duration.ofSeconds(40));
        m.acquire("snapshot-leader", "b", Duration.ofSeconds(30));
        assertThatThrownBy(() -> m.renew(renewed)).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void clustersSharingATable_haveIndependentLeases() {
        String table = ddb.newLeaseTable();
        Lease a = manager(table, "a", Clock.systemUTC()).acquire("snapshot-leader", "x", Duration.ofSeconds(30));
        Lease b = manager(table, "b", Clock.systemUTC()).acquire("snapshot-leader", "y", Duration.ofSeconds(30));
        assertThat(a.holder()).isEqualTo("x");
        assertThat(b.holder()).isEqualTo("y");
        assertThat(item(table, "a/snapshot-leader").get("holder").s()).isEqualTo("x");
        assertThat(item(table, "b/snapshot-leader").get("holder").s()).isEqualTo("y");
    }

    @Test
    void aMissingTable_isAnErrorNamingTheTable_notAHeldLease() {
        DynamoDbLeaseManager m = manager("no-such-table", "c1", Clock.systemUTC());
        assertThatThrownBy(() -> m.acquire("snapshot-leader", "a", Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-table").hasMessageContaining("c1/snapshot-leader");
        Lease ghost = new Lease("snapshot-leader", "a", 7, T0);
        assertThatThrownBy(() -> m.renew(ghost)).isInstanceOf(LeaseLostException.class).hasMessageContaining("no-such-table");
        assertThatThrownBy(() -> m.release(ghost)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-table");
    }
}
