package io.tidemark.functions;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's checkpoint and restore (the {@code org.crac} API Lambda honours). Before the
 * checkpoint: prime the code paths a first invocation takes (configuration, event parsing, the AWS
 * clients, which open no connection until used) and close the NATS connection, whose sockets and
 * server-side state would be stale in every restored copy. After a restore: a fresh random
 * generator for ids; NATS reconnects on first use, so no connection from before the snapshot is
 * ever used. Clocks are read live ({@code Clock.systemUTC()}), never cached.
 */
final class SnapStartHooks implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartHooks.class);
    private final Wiring wiring;

    SnapStartHooks(Wiring wiring) {
        this.wiring = wiring;
    }

    /** Registers with the global context; the wiring keeps this strongly reachable (the context holds it weakly). */
    static SnapStartHooks register(Wiring wiring) {
        SnapStartHooks hooks = new SnapStartHooks(wiring);
        Core.getGlobalContext().register(hooks);
        return hooks;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        wiring.prime();
        wiring.closeNats();
        LOG.info("cluster {}: primed and NATS closed before the SnapStart checkpoint", wiring.config.cluster().cluster());
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        Ids.reseed();
        wiring.closeNats(); // in case anything connected after the checkpoint hook
        LOG.info("cluster {}: restored from a SnapStart snapshot; NATS reconnects on first use",
                wiring.config.cluster().cluster());
    }
}
