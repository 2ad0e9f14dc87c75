package io.tidemark.core.build;

/** Told after each step completes; tests use it to crash a build at every step. */
@FunctionalInterface
public interface BuildListener {
    void reached(BuildStep step);

    BuildListener NONE = step -> { };
}
