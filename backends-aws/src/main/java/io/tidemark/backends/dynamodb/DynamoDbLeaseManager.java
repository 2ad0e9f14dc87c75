package io.tidemark.backends.dynamodb;

import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseHeldException;
import io.tidemark.core.lease.LeaseLostException;
import io.tidemark.core.lease.LeaseManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Leases as DynamoDB items: {@code name} (partition key, {@code scope/name}), {@code holder},
 * {@code token}, {@code expiresAt} (epoch ms), {@code ttlMillis} (the granted ttl, for renewals) and
 * {@code ttl} (epoch s, for DynamoDB's TTL clean-up, {@code ttlGrace} after expiry). Every change is
 * one conditional UpdateItem, so two holders can never both hold a lease. The token grows by one on
 * every grant and survives release; an item that TTL removed comes back with a token seeded from
 * the clock, so a cluster idle past the grace period still gets a token above the one in its HEAD.
 */
public final class DynamoDbLeaseManager implements LeaseManager {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLeaseManager.class);
    private static final AttributeValue ZERO = n(0);

    private final DynamoDbClient ddb;
    private final DynamoDbLeaseConfig config;

    public DynamoDbLeaseManager(DynamoDbClient ddb, DynamoDbLeaseConfig config) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public Lease acquire(String name, String holder, Duration ttl) {
        String id = config.key(name);
        long now = config.clock().millis();
        long expires = now + ttl.toMillis();
        LOG.debug("UpdateItem acquire lease {} for {} (ttl {}) in table {}", id, holder, ttl, config.table());
        try {
            UpdateItemResponse r = ddb.updateItem(b -> b.tableName(config.table()).key(key(name))
                    .updateExpression("SET holder = :me, expiresAt = :exp, ttlMillis = :ttlms, #ttl = :ttl,"
                            + " #token = if_not_exists(#token, :seed) + :one")
                    .conditionExpression("attribute_not_exists(#name) OR expiresAt < :now OR holder = :me")
                    .expressionAttributeNames(Map.of("#name", "name", "#token", "token", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":me", s(holder), ":exp", n(expires), ":ttlms", n(ttl.toMillis()),
                            ":ttl", n(ttlSeconds(expires)), ":seed", n(now), ":one", n(1), ":now", n(now)))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            long token = Long.parseLong(r.attributes().get("token").n());
            LOG.debug("lease {} granted to {} with token {} until {} in table {}", id, holder, token,
                    Instant.ofEpochMilli(expires), config.table());
            return new Lease(name, holder, token, Instant.ofEpochMilli(expires));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = e.hasItem() ? e.item() : current(name);
            String other = item.containsKey("holder") ? item.get("holder").s() : "another holder";
            long until = item.containsKey("expiresAt") ? Long.parseLong(item.get("expiresAt").n()) : now;
            LOG.debug("lease {} is held by {} until {} in table {}", id, other, Instant.ofEpochMilli(until), config.table());
            throw new LeaseHeldException(name, other, Instant.ofEpochMilli(until));
        } catch (SdkException e) {
            throw error("acquire", id, e);
        }
    }

    /** The item as it is now, for the message of a refused grant (when the service did not return it). */
    private Map<String, AttributeValue> current(String name) {
        LOG.debug("GetItem lease {} in table {}", config.key(name), config.table());
        try {
            Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(config.table()).key(key(name))
                    .consistentRead(true)).item();
            return item == null ? Map.of() : item;
        } catch (SdkException e) {
            throw error("read", config.key(name), e);
        }
    }

    @Override
    public Lease renew(Lease lease) {
        String id = config.key(lease.name());
        long now = config.clock().millis();
        LOG.debug("UpdateItem renew lease {} token {} for {} in table {}", id, lease.token(), lease.holder(),
                config.table());
        try {
            // expiresAt > 0: a released lease stays released. An expired one nobody took may be renewed:
            // no one else held it meanwhile, and the token still fences.
            UpdateItemResponse r = ddb.updateItem(b -> b.tableName(config.table()).key(key(lease.name()))
                    .updateExpression("SET expiresAt = :now + ttlMillis, #ttl = :ttl")
                    .conditionExpression("holder = :me AND #token = :token AND expiresAt > :zero")
                    .expressionAttributeNames(Map.of("#token", "token", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":me", s(lease.holder()), ":token", n(lease.token()),
                            ":now", n(now), ":zero", ZERO, ":ttl", n(ttlSeconds(now) + DynamoDbLeaseConfig.MIN_TTL_GRACE
                                    .toSeconds())))
                    .returnValues(ReturnValue.UPDATED_NEW));
            Instant expires = Instant.ofEpochMilli(Long.parseLong(r.attributes().get("expiresAt").n()));
            LOG.debug("lease {} token {} renewed until {}", id, lease.token(), expires);
            return new Lease(lease.name(), lease.holder(), lease.token(), expires);
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLostException(lease.name(), lease.token(), "released, or taken over with a newer token");
        } catch (SdkException e) {
            throw new LeaseLostException(lease.name(), lease.token(), "cannot renew in DynamoDB table " + config.table()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Lease lease) {
        String id = config.key(lease.name());
        LOG.debug("UpdateItem release lease {} token {} for {} in table {}", id, lease.token(), lease.holder(),
                config.table());
        try {
            // The item stays, so the next grant's token is still larger.
            ddb.updateItem(b -> b.tableName(config.table()).key(key(lease.name()))
                    .updateExpression("SET expiresAt = :zero")
                    .conditionExpression("holder = :me AND #token = :token")
                    .expressionAttributeNames(Map.of("#token", "token"))
                    .expressionAttributeValues(Map.of(":zero", ZERO, ":me", s(lease.holder()), ":token", n(lease.token()))));
            LOG.debug("lease {} token {} released", id, lease.token());
        } catch (ConditionalCheckFailedException e) {
            LOG.debug("lease {} token {} was no longer ours at release", id, lease.token());
        } catch (SdkException e) {
            throw error("release", id, e);
        }
    }

    private Map<String, AttributeValue> key(String name) {
        return Map.of("name", s(config.key(name)));
    }

    private long ttlSeconds(long expiresAtMillis) {
        return expiresAtMillis / 1000 + config.ttlGrace().toSeconds();
    }

    private IllegalStateException error(String what, String id, SdkException e) {
        return new IllegalStateException("cannot " + what + " lease " + id + " in DynamoDB table " + config.table()
                + ": " + e.getMessage(), e);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }
}
