package io.tidemark.backends.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The lease table and how items are named: {@code scope} (the cluster) prefixes every lease name so
 * several clusters can share one table; {@code ttlGrace} is how long after expiry DynamoDB's TTL may
 * remove an item (the token then restarts, which is safe only because HEAD keeps the highest token).
 */
public record DynamoDbLeaseConfig(String table, String scope, Duration ttlGrace, Clock clock) {
    public DynamoDbLeaseConfig {
        Objects.requireNonNull(table, "table");
        if (!table.matches("[A-Za-z0-9_.-]{3,255}")) {
            throw new IllegalArgumentException("'" + table + "' is not a valid DynamoDB table name");
        }
        scope = scope == null ? "" : scope;
        Objects.requireNonNull(ttlGrace, "ttlGrace");
        Objects.requireNonNull(clock, "clock");
    }

    public static DynamoDbLeaseConfig of(String table, String scope) {
        return new DynamoDbLeaseConfig(table, scope, Duration.ofDays(30), Clock.systemUTC());
    }

    String key(String name) {
        return scope.isEmpty() ? name : scope + "/" + name;
    }
}
