package io.tidemark.backends.dynamodb;

import io.tidemark.core.lease.Lease;
import io.tidemark.core.lease.LeaseHeldException;
import io.tidemark.core.lease.LeaseLostException;
import io.tidemark.core.lease.LeaseManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Leases as DynamoDB items: {@code name} (partition key), {@code holder}, {@code token},
 * {@code expiresAt} (epoch ms) and {@code ttl} (epoch s, for DynamoDB's TTL clean-up). Every change
 * is one conditional UpdateItem, so two builders can never both hold a lease; the token grows by one
 * on every grant and survives release.
 */
public final class DynamoDbLeaseManager implements LeaseManager {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLeaseManager.class);

    private final DynamoDbClient ddb;
    private final DynamoDbLeaseConfig config;

    public DynamoDbLeaseManager(DynamoDbClient ddb, DynamoDbLeaseConfig config) {
        this.ddb = ddb;
        this.config = config;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(long v) {
        return AttributeValue.builder().n(Long.toString(v)).build();
    }

    private Map<String, AttributeValue> key(String name) {
        return Map.of("name", s(config.key(name)));
    }

    private long ttlSeconds(long expiresAtMillis) {
        return expiresAtMillis / 1000 + config.ttlGrace().toSeconds();
    }

    @Override
    public Lease acquire(String name, String holder, Duration ttl) {
        long now = config.clock().millis();
        long expires = now + ttl.toMillis();
        try {
            var r = ddb.updateItem(UpdateItemRequest.builder().tableName(config.table()).key(key(name))
                    .updateExpression("SET holder = :me, expiresAt = :exp, #ttl = :ttl, ttlMillis = :ttlms ADD #token :one")
                    .conditionExpression("attribute_not_exists(#name) OR expiresAt < :now OR holder = :me")
                    .expressionAttributeNames(Map.of("#name", "name", "#token", "token", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":me", s(holder), ":exp", n(expires), ":ttl", n(ttlSeconds(expires)),
                            ":ttlms", n(ttl.toMillis()), ":one", n(1), ":now", n(now)))
                    .returnValues(ReturnValue.ALL_NEW).build());
            long token = Long.parseLong(r.attributes().get("token").n());
            LOG.debug("lease {} granted to {} with token {} in {}", config.key(name), holder, token, config.table());
            return new Lease(name, holder, token, Instant.ofEpochMilli(expires));
        } catch (ConditionalCheckFailedException e) {
            GetItemResponse current = ddb.getItem(b -> b.tableName(config.table()).key(key(name)).consistentRead(true));
            Map<String, AttributeValue> item = current.item();
            String other = item == null || !item.containsKey("holder") ? "another holder" : item.get("holder").s();
            long until = item == null || !item.containsKey("expiresAt") ? now : Long.parseLong(item.get("expiresAt").n());
            throw new LeaseHeldException(name, other, Instant.ofEpochMilli(until));
        } catch (SdkException e) {
            throw new IllegalStateException("DynamoDB error acquiring lease " + config.key(name) + " in table "
                    + config.table() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Lease renew(Lease lease) {
        long now = config.clock().millis();
        try {
            var r = ddb.updateItem(UpdateItemRequest.builder().tableName(config.table()).key(key(lease.name()))
                    .updateExpression("SET expiresAt = :now + ttlMillis, #ttl = :ttl")
                    .conditionExpression("holder = :me AND #token = :token AND expiresAt > :now")
                    .expressionAttributeNames(Map.of("#token", "token", "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":me", s(lease.holder()), ":token", n(lease.token()),
                            ":now", n(now), ":ttl", n(ttlSeconds(now) + 3600)))
                    .returnValues(ReturnValue.ALL_NEW).build());
            return new Lease(lease.name(), lease.holder(), lease.token(),
                    Instant.ofEpochMilli(Long.parseLong(r.attributes().get("expiresAt").n())));
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLostException(lease.name(), lease.token(), "expired or taken over");
        } catch (SdkException e) {
            throw new LeaseLostException(lease.name(), lease.token(), "DynamoDB unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Lease lease) {
        try {
            ddb.updateItem(UpdateItemRequest.builder().tableName(config.table()).key(key(lease.name()))
                    .updateExpression("SET expiresAt = :zero")
                    .conditionExpression("holder = :me AND #token = :token")
                    .expressionAttributeNames(Map.of("#token", "token"))
                    .expressionAttributeValues(Map.of(":zero", n(0), ":me", s(lease.holder()), ":token", n(lease.token())))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            LOG.debug("lease {} token {} was no longer ours at release", config.key(lease.name()), lease.token());
        } catch (SdkException e) {
            LOG.debug("release of lease {} failed; it expires by itself", config.key(lease.name()), e);
        }
    }
}
