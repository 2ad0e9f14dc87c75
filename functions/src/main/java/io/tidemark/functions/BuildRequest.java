package io.tidemark.functions;

import io.tidemark.core.build.Trigger;
import java.util.Map;

/**
 * What a Build invocation asks for, read from any of the events it takes: an EventBridge Scheduled
 * Event, a CloudWatch Alarm State Change (acted on only when it changes to ALARM), or a request
 * {@code {"trigger": "manual", "force": bool, "requestId": ".."}}. {@code ignored} explains why an
 * event needs no build.
 */
record BuildRequest(Trigger trigger, boolean force, String requestId, String ignored) {
    static final String THRESHOLD_SUFFIX = "-pending-threshold";
    static final String EMERGENCY_SUFFIX = "-pending-emergency";
    static final String HEADROOM_SUFFIX = "-pending-headroom";

    static BuildRequest parse(Map<String, Object> event) {
        if (event == null || event.isEmpty()) {
            throw new IllegalArgumentException("empty event: expected a Scheduled Event, an alarm state change or"
                    + " {\"trigger\": \"manual\"}");
        }
        Object detailType = event.get("detail-type");
        String id = event.get("id") instanceof String s ? s : null;
        if ("Scheduled Event".equals(detailType)) {
            return new BuildRequest(Trigger.SCHEDULE, false, id, null);
        }
        if ("CloudWatch Alarm State Change".equals(detailType)) {
            return alarm(event, id);
        }
        if (detailType != null) {
            throw new IllegalArgumentException("detail-type '" + detailType + "' is not one Build takes"
                    + " (Scheduled Event, CloudWatch Alarm State Change)");
        }
        if (event.containsKey("trigger")) {
            Object t = event.get("trigger");
            Object force = event.getOrDefault("force", false);
            if (!(t instanceof String name)) {
                throw new IllegalArgumentException("\"trigger\" must be a string");
            }
            if (!(force instanceof Boolean f)) {
                throw new IllegalArgumentException("\"force\" must be true or false");
            }
            Trigger trigger = Trigger.fromWire(name);
            if (trigger == Trigger.SEED || trigger == Trigger.REPLICA || trigger == Trigger.ROLLBACK) {
                throw new IllegalArgumentException("trigger '" + name + "' cannot be requested of Build");
            }
            return new BuildRequest(trigger, f, event.get("requestId") instanceof String r ? r : null, null);
        }
        throw new IllegalArgumentException("unrecognised event with keys " + event.keySet()
                + ": expected a Scheduled Event, an alarm state change or {\"trigger\": \"manual\"}");
    }

    private static BuildRequest alarm(Map<String, Object> event, String id) {
        if (!(event.get("detail") instanceof Map<?, ?> detail)) {
            throw new IllegalArgumentException("alarm state change without a detail object");
        }
        Object name = detail.get("alarmName");
        if (!(name instanceof String alarm)) {
            throw new IllegalArgumentException("alarm state change without detail.alarmName");
        }
        String state = value(detail.get("state"));
        String previous = value(detail.get("previousState"));
        if (state == null) {
            throw new IllegalArgumentException("alarm " + alarm + ": detail.state.value is missing");
        }
        if (!"ALARM".equals(state) || "ALARM".equals(previous)) {
            return new BuildRequest(null, false, id, "alarm " + alarm + " went " + previous + " -> " + state
                    + ": only a change to ALARM triggers a build");
        }
        Trigger t = alarm.endsWith(THRESHOLD_SUFFIX) ? Trigger.THRESHOLD : alarm.endsWith(EMERGENCY_SUFFIX)
                ? Trigger.EMERGENCY : alarm.endsWith(HEADROOM_SUFFIX) ? Trigger.HEADROOM : null;
        if (t == null) {
            return new BuildRequest(null, false, id, "alarm " + alarm + " is not a build trigger (names end in "
                    + THRESHOLD_SUFFIX + ", " + EMERGENCY_SUFFIX + " or " + HEADROOM_SUFFIX + ")");
        }
        return new BuildRequest(t, false, id, null);
    }

    private static String value(Object state) {
        return state instanceof Map<?, ?> m && m.get("value") instanceof String s ? s : null;
    }
}
