package io.tidemark.backends.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.event.TidemarkEvent;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes Tidemark's events to an EventBridge bus, one PutEvents call per event: source
 * {@code tidemark}, detail-type the event's type, detail the event's detail as JSON (times as ISO-8601
 * text). A refused entry is an error naming EventBridge's code, never a silent drop.
 */
public final class EventBridgeEventPublisher implements EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeEventPublisher.class);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final EventBridgeClient events;
    private final String bus;

    /** {@code busName}: the bus name or ARN; "default" for the account's default bus. */
    public EventBridgeEventPublisher(EventBridgeClient client, String busName) {
        this.events = Objects.requireNonNull(client, "client");
        this.bus = Objects.requireNonNull(busName, "busName");
        if (busName.isBlank()) {
            throw new IllegalArgumentException("the EventBridge bus name is blank");
        }
    }

    @Override
    public void publish(TidemarkEvent event) {
        String detail;
        try {
            detail = JSON.writeValueAsString(event.detail());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.type() + " for cluster " + event.cluster()
                    + " has a detail that cannot be written as JSON", e);
        }
        LOG.debug("PutEvents {} for cluster {} to bus {}", event.type(), event.cluster(), bus);
        PutEventsResponse r;
        try {
            r = events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName(bus)
                    .source(TidemarkEvent.SOURCE).detailType(event.type().name()).detail(detail).build()));
        } catch (SdkException e) {
            throw new IllegalStateException("cannot publish " + event.type() + " for cluster " + event.cluster()
                    + " to bus " + bus + ": " + e.getMessage(), e);
        }
        if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
            PutEventsResultEntry entry = r.hasEntries() && !r.entries().isEmpty() ? r.entries().get(0) : null;
            throw new IllegalStateException("EventBridge refused " + event.type() + " for cluster " + event.cluster()
                    + " on bus " + bus + ": " + (entry == null ? "no entry returned"
                    : entry.errorCode() + " " + entry.errorMessage()));
        }
        LOG.debug("published {} for cluster {} to bus {} as event {}", event.type(), event.cluster(), bus,
                r.hasEntries() && !r.entries().isEmpty() ? r.entries().get(0).eventId() : "?");
    }
}
