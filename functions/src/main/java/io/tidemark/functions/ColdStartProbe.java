package io.tidemark.functions;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * The cold-start benchmark's subject: a new JVM on the packaged jar runs one Build (wired from the
 * environment, as in Lambda) and prints the milliseconds since the JVM started. With
 * {@code --baseline} it prints them at the start of main instead: the JVM's own start-up.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--baseline")) {
            System.out.println("ready-ms " + ManagementFactory.getRuntimeMXBean().getUptime());
            return;
        }
        Map<String, Object> out = new BuildHandler().handleRequest(Map.of("detail-type", "Scheduled Event",
                "source", "aws.events", "id", "cold-start"), null);
        System.out.println("ready-ms " + ManagementFactory.getRuntimeMXBean().getUptime() + " outcome "
                + out.get("outcome"));
        System.exit(0); // NATS and SDK threads would otherwise keep the JVM up
    }
}
