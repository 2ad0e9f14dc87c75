package io.tidemark.core.change;

/** A change message that cannot be decoded: bad CBOR, bad zstd, or a payload of the wrong shape. */
public class MalformedChangeException extends RuntimeException {
    public MalformedChangeException(String message) {
        super(message);
    }

    public MalformedChangeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same problem, now located at a stream position. Row data never goes into the message. */
    public MalformedChangeException at(String stream, long seq) {
        return new MalformedChangeException("malformed change at " + stream + " seq " + seq + ": " + getMessage(), this);
    }
}
