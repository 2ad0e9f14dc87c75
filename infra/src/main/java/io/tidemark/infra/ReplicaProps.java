package io.tidemark.infra;

import java.util.Map;

/**
 * Size and count of the replica service's Fargate tasks. The pair must be one Fargate offers; it is
 * checked here so that a typo fails at synth, not half-way through a deploy.
 */
public record ReplicaProps(int cpu, int memoryMb, int desiredCount) {
    /** Fargate CPU units: {lowest, highest, step} of the memory (MiB) each allows. */
    private static final Map<Integer, int[]> FARGATE = Map.of(
            256, new int[]{512, 2048, 512},
            512, new int[]{1024, 4096, 1024},
            1024, new int[]{2048, 8192, 1024},
            2048, new int[]{4096, 16384, 1024},
            4096, new int[]{8192, 30720, 1024},
            8192, new int[]{16384, 61440, 4096},
            16384, new int[]{32768, 122880, 8192});

    /** 1 vCPU and 2 GiB: the JVM, SQLite's page cache and a restore's download buffers. */
    public static final ReplicaProps DEFAULT = new ReplicaProps(1024, 2048, 1);

    public ReplicaProps {
        int[] mem = FARGATE.get(cpu);
        if (mem == null) {
            throw new IllegalArgumentException("replica cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384, got " + cpu);
        }
        if (memoryMb < mem[0] || memoryMb > mem[1] || (memoryMb != 512 && memoryMb % mem[2] != 0)) {
            throw new IllegalArgumentException("replica memoryMb " + memoryMb + " is not offered with cpu " + cpu
                    + " (Fargate allows " + mem[0] + "-" + mem[1] + " in steps of " + mem[2] + ")");
        }
        if (desiredCount < 0) {
            throw new IllegalArgumentException("replica desiredCount must be 0 or more, got " + desiredCount);
        }
    }
}
