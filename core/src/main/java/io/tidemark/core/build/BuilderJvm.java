package io.tidemark.core.build;

import java.util.List;

/**
 * The JVM options a process that builds or verifies snapshots runs with: the Build and Verify
 * functions get them as {@code JAVA_TOOL_OPTIONS}, and {@code tidemark bench --only memory} measures
 * the builder under them.
 *
 * <p>Why not Lambda's defaults: its Java 17 and 21 runtimes stop tiered compilation at level 1 (C1
 * only, for short cold starts), and C1 has no SHA-256 intrinsic. A build and a verify hash the whole
 * database; on this project's bench machine 512 MB hashed in 2.7-2.9 s under C1 against 0.29 s with
 * C2 (BENCHMARKS.md). Level 4 costs a little more memory and warm-up on the first invocation of an
 * execution environment, which a build of seconds to minutes repays. The serial collector is what
 * Lambda picks anyway; it is named so the bench measures the same thing, and it keeps the JVM's own
 * structures small (G1's measured 46 MB in a 1M-change build, serial's under 1 MB).
 *
 * <p>A 64 MB young generation: the replay's changes in flight (the readers' queue and the applier's
 * window) survive every young collection, so a small young generation copies them again every few
 * MB of allocation. A 2048 MB function's heap starts at 32 MB with a third of it young: a 1M-change
 * build then spent 2.8 s of 10.4 s collecting, against 1.3-1.4 s with 64 MB (BENCHMARKS.md). It
 * assumes a heap well above 64 MB (Lambda gives a quarter of the function's memory; a smaller heap
 * only makes the JVM warn and shrink it).
 */
public final class BuilderJvm {
    /** In order, as one would pass them to {@code java}. */
    public static final List<String> OPTIONS =
            List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=4", "-XX:+UseSerialGC", "-Xmn64m");

    /**
     * What Lambda's Java 17 and 21 runtimes start a function with when it sets no JAVA_TOOL_OPTIONS:
     * C1 only, the serial collector. The emulator test and the bench start handlers and builds under
     * it to stand for Lambda's default.
     */
    public static final List<String> LAMBDA_DEFAULTS =
            List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private BuilderJvm() {}

    /** The value for {@code JAVA_TOOL_OPTIONS}. */
    public static String toolOptions() {
        return String.join(" ", OPTIONS);
    }
}
