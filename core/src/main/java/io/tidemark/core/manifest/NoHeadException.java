package io.tidemark.core.manifest;

/** The store has no HEAD: the cluster has no snapshot yet and must be seeded first. */
public class NoHeadException extends RuntimeException {
    public NoHeadException(String store) {
        super("no HEAD.json in " + store + ": the cluster has no snapshot yet; seed one with"
                + " `tidemark snapshot seed --db FILE [--seq-map FILE]` or `--schema FILE`");
    }
}
