package io.tidemark.core.event;

/** Tells the world what happened (EventBridge in AWS; a log line locally). */
public interface EventPublisher {
    /** Sends one event. Throws on failure; callers decide whether that fails the job. */
    void publish(TidemarkEvent event);

    /** Drops every event; for tools that report through their own output. */
    EventPublisher NONE = event -> { };
}
