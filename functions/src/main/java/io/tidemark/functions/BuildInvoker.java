package io.tidemark.functions;

import io.tidemark.core.build.Trigger;

/** Starts a Build asynchronously (Monitor's re-trigger, Trigger's POST /snapshots). */
interface BuildInvoker {
    /** Queues a build; returns at once. Throws when the invoke was refused. */
    void invokeAsync(Trigger trigger, boolean force, String requestId);
}
