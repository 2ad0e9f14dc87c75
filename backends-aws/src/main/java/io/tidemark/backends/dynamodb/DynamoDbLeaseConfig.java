package io.tidemark.backends.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The lease table and how items are named: {@code scope} (the cluster) prefixes every lease name as
 * {@code scope/name} so several clusters can share one table; {@code ttlGrace} is how long after a
 * lease's expiry DynamoDB's TTL may remove its item (a cluster that takes no lease for that long
 * loses the item; its next token is then seeded from the clock, so tokens still grow).
 */
public record DynamoDbLeaseConfig(String table, String scope, Duration ttlGrace, Clock clock) {
    public static final Duration DEFAULT_TTL_GRACE = Duration.ofDays(30);
    /** Longer than any lease Tidemark takes (a Lambda build lasts at most 15 minutes). */
    public static final Duration MIN_TTL_GRACE = Duration.ofHours(1);

    public DynamoDbLeaseConfig {
        Objects.requireNonNull(table, "table");
        if (!table.matches("[A-Za-z0-9_.-]{3,255}")) {
            throw new IllegalArgumentException("'" + table + "' is not a valid DynamoDB table name");
        }
        scope = scope == null ? "" : scope;
        if (scope.contains("/")) {
            throw new IllegalArgumentException("lease scope '" + scope + "' must not contain '/'");
        }
        Objects.requireNonNull(ttlGrace, "ttlGrace");
        if (ttlGrace.compareTo(MIN_TTL_GRACE) < 0) {
            throw new IllegalArgumentException("ttlGrace must be at least " + MIN_TTL_GRACE + ", got " + ttlGrace);
        }
        Objects.requireNonNull(clock, "clock");
    }

    public static DynamoDbLeaseConfig of(String table, String scope) {
        return builder().table(table).scope(scope).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    String key(String name) {
        return scope.isEmpty() ? name : scope + "/" + name;
    }

    /** Builds a config; {@link #build()} validates. Only the table is required. */
    public static final class Builder {
        private String table;
        private String scope = "";
        private Duration ttlGrace = DEFAULT_TTL_GRACE;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** Prefixes lease names, typically the cluster (stream prefix); empty for none. */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder ttlGrace(Duration ttlGrace) {
            this.ttlGrace = ttlGrace;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public DynamoDbLeaseConfig build() {
            return new DynamoDbLeaseConfig(table, scope, ttlGrace, clock);
        }
    }
}
