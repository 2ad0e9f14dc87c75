package io.tidemark.infra;

/**
 * The handler strings of the four functions, in one place: {@code <class>::handleRequest} of the
 * classes in module functions (package io.tidemark.functions). A test checks each against its class.
 */
public final class Handlers {
    public static final String PACKAGE = "io.tidemark.functions";
    public static final String METHOD = "handleRequest";
    public static final String BUILD = PACKAGE + ".BuildHandler::" + METHOD;
    public static final String MONITOR = PACKAGE + ".MonitorHandler::" + METHOD;
    public static final String VERIFY = PACKAGE + ".VerifyHandler::" + METHOD;
    public static final String TRIGGER = PACKAGE + ".TriggerHandler::" + METHOD;

    private Handlers() {}
}
