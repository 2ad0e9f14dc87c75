package io.tidemark.cli;

import java.util.Locale;

/**
 * Chooses the log format before the first line is logged (logback.xml reads the property): plain
 * text on a terminal, one JSON object per line otherwise, as container log collectors expect.
 * {@code TIDEMARK_LOG_FORMAT=text|json} (or {@code -Dtidemark.log.format}) overrides the choice.
 */
final class LogFormat {
    static final String PROPERTY = "tidemark.log.format";

    private LogFormat() {}

    static void choose() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        String env = System.getenv("TIDEMARK_LOG_FORMAT");
        String format = env != null ? env.trim().toLowerCase(Locale.ROOT) : System.console() == null ? "json" : "text";
        if (!format.equals("json") && !format.equals("text")) {
            throw new IllegalArgumentException("TIDEMARK_LOG_FORMAT is '" + env + "': use text or json");
        }
        System.setProperty(PROPERTY, format);
    }
}
