package io.tidemark.core.change;

/** A raw message read from a stream: its position and its bytes as published. */
public record ChangeMessage(String stream, long seq, byte[] data) {}
