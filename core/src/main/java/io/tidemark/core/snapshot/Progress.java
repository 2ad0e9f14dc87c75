package io.tidemark.core.snapshot;

/** Reports progress of long work (download, replay, upload); the CLI draws it on a terminal. */
@FunctionalInterface
public interface Progress {
    /** {@code total} is -1 when unknown. Called often: implementations must be cheap. */
    void update(String phase, long done, long total);

    Progress NONE = (phase, done, total) -> { };
}
