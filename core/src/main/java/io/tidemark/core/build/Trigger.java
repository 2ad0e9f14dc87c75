package io.tidemark.core.build;

/** Why a build ran; recorded in the manifest and the events. */
public enum Trigger {
    SCHEDULE, THRESHOLD, EMERGENCY, HEADROOM, MANUAL, SEED, REPLICA, ROLLBACK;

    public String wire() {
        return name().toLowerCase();
    }

    public static Trigger fromWire(String s) {
        for (Trigger t : values()) {
            if (t.wire().equalsIgnoreCase(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown trigger '" + s + "' (expected one of schedule, threshold,"
                + " emergency, headroom, manual)");
    }
}
