package io.tidemark.infra;

/** The handler strings of the four functions; a test checks each against its class. */
public final class Handlers {
    public static final String BUILD = "io.tidemark.functions.BuildHandler::handleRequest";
    public static final String MONITOR = "io.tidemark.functions.MonitorHandler::handleRequest";
    public static final String VERIFY = "io.tidemark.functions.VerifyHandler::handleRequest";
    public static final String TRIGGER = "io.tidemark.functions.TriggerHandler::handleRequest";

    private Handlers() {}
}
