package io.tidemark.core.lease;

/** A lease we held is gone: it expired and was taken over, or could not be renewed. */
public class LeaseLostException extends RuntimeException {
    private final String name;
    private final long token;

    public LeaseLostException(String name, long token, String why) {
        super("lease " + name + " with token " + token + " lost: " + why);
        this.name = name;
        this.token = token;
    }

    public LeaseLostException(String name, long token, String why, Throwable cause) {
        super("lease " + name + " with token " + token + " lost: " + why, cause);
        this.name = name;
        this.token = token;
    }

    public String name() {
        return name;
    }

    public long token() {
        return token;
    }
}
