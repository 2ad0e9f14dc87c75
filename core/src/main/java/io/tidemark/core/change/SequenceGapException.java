package io.tidemark.core.change;

/** The changes after {@code position} have fallen off {@code stream}: replay cannot continue from it. */
public class SequenceGapException extends RuntimeException {
    private final String stream;
    private final long position;
    private final long firstAvailable;

    public SequenceGapException(String stream, long position, long firstAvailable) {
        super("gap in stream " + stream + ": the snapshot holds up to seq " + position + " but the stream's first seq is "
                + firstAvailable + "; changes " + (position + 1) + ".." + (firstAvailable - 1) + " are lost to the stream");
        this.stream = stream;
        this.position = position;
        this.firstAvailable = firstAvailable;
    }

    public String stream() {
        return stream;
    }

    public long position() {
        return position;
    }

    public long firstAvailable() {
        return firstAvailable;
    }
}
