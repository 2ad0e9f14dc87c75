package io.tidemark.backends.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.core.event.EventPublisher;
import io.tidemark.core.event.TidemarkEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Publishes Tidemark's events to an EventBridge bus: source {@code tidemark}, detail-type the event's type. */
public final class EventBridgeEventPublisher implements EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeEventPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventBridgeClient events;
    private final String bus;

    public EventBridgeEventPublisher(EventBridgeClient events, String bus) {
        this.events = events;
        this.bus = bus;
    }

    @Override
    public void publish(TidemarkEvent event) {
        String detail;
        try {
            detail = JSON.writeValueAsString(event.detail());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.type() + " has a detail that is not JSON", e);
        }
        try {
            PutEventsResponse r = events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName(bus)
                    .source(TidemarkEvent.SOURCE).detailType(event.type().name()).detail(detail).build()));
            if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
                var entry = r.entries().get(0);
                throw new IllegalStateException("EventBridge refused " + event.type() + " for cluster " + event.cluster()
                        + " on bus " + bus + ": " + entry.errorCode() + " " + entry.errorMessage());
            }
            LOG.debug("published {} for cluster {} to bus {}", event.type(), event.cluster(), bus);
        } catch (SdkException e) {
            throw new IllegalStateException("cannot publish " + event.type() + " for cluster " + event.cluster()
                    + " to bus " + bus + ": " + e.getMessage(), e);
        }
    }
}
