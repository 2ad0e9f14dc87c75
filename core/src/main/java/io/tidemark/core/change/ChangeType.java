package io.tidemark.core.change;

/** The three operations HarmonyLite replicates. */
public enum ChangeType {
    INSERT("insert"), UPDATE("update"), DELETE("delete");

    private final String wire;

    ChangeType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    static ChangeType fromWire(String s) {
        for (ChangeType t : values()) {
            if (t.wire.equals(s)) {
                return t;
            }
        }
        throw new MalformedChangeException("unknown change Type '" + s + "' (expected insert, update or delete)");
    }
}
