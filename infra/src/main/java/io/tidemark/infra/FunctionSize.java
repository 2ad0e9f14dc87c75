package io.tidemark.infra;

/**
 * Memory, timeout and {@code /tmp} size of one function. Lambda's bounds are checked here, at synth,
 * rather than by CloudFormation at deploy.
 *
 * <p>SnapStart does not support more than 512 MiB of {@code /tmp}. The defaults keep 512 and
 * SnapStart everywhere; a function given more {@code /tmp} (Build or Verify of a database past a
 * few hundred MB, up to DESIGN.md's 10 GB) runs without SnapStart: {@link #snapStart()}. For a build
 * that runs minutes, the cold start it then pays is small.
 */
public record FunctionSize(int memoryMb, int timeoutSeconds, int ephemeralStorageMb) {
    public static final int MAX_TIMEOUT_SECONDS = 900;
    public static final int SNAPSTART_MAX_EPHEMERAL_MB = 512;

    /** Build replays and writes the database in /tmp: the most memory and the full 15 minutes. */
    public static final FunctionSize BUILD = new FunctionSize(2048, MAX_TIMEOUT_SECONDS, 512);
    /** Monitor reads HEAD and stream info, every few minutes. */
    public static final FunctionSize MONITOR = new FunctionSize(1024, 120, 512);
    /** Verify downloads and checks HEAD's database: sized as Build. */
    public static final FunctionSize VERIFY = new FunctionSize(2048, MAX_TIMEOUT_SECONDS, 512);
    /** Trigger answers an HTTP call and queues Build. */
    public static final FunctionSize TRIGGER = new FunctionSize(1024, 30, 512);

    public FunctionSize {
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new IllegalArgumentException("memoryMb must be 128-10240, got " + memoryMb);
        }
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("timeoutSeconds must be 1-900 (Lambda's 15 minutes), got " + timeoutSeconds);
        }
        if (ephemeralStorageMb < 512 || ephemeralStorageMb > 10_240) {
            throw new IllegalArgumentException("ephemeralStorageMb must be 512-10240, got " + ephemeralStorageMb);
        }
    }

    /** True when SnapStart can apply: at most 512 MiB of {@code /tmp}. */
    public boolean snapStart() {
        return ephemeralStorageMb <= SNAPSTART_MAX_EPHEMERAL_MB;
    }
}
