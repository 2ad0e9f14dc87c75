package io.tidemark.core.build;

import io.tidemark.core.retention.RetentionPolicy;
import io.tidemark.core.snapshot.Progress;
import io.tidemark.core.snapshot.SnapshotWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** How a builder runs. Build with {@link #builder(Path)}; every field has a named default. */
public record BuildOptions(String holder, Duration leaseTtl, Path workDir, SnapshotWriter writer, int commitEvery,
                           Clock clock, RetentionPolicy retention, BuildListener listener, Progress progress,
                           boolean bootCopy, LayerPolicy layers) {
    public static final String LEASE_NAME = "snapshot-leader";
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    public static final int DEFAULT_COMMIT_EVERY = 200_000;

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Validating builder. */
    public static final class Builder {
        private final Path workDir;
        private String holder = defaultHolder();
        private Duration leaseTtl = DEFAULT_LEASE_TTL;
        private SnapshotWriter writer = SnapshotWriter.defaults();
        private int commitEvery = DEFAULT_COMMIT_EVERY;
        private Clock clock = Clock.systemUTC();
        private RetentionPolicy retention = RetentionPolicy.DEFAULT;
        private BuildListener listener = BuildListener.NONE;
        private Progress progress = Progress.NONE;
        private boolean bootCopy = true;
        private LayerPolicy layers = LayerPolicy.DEFAULT;

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
        }

        public Builder holder(String h) {
            if (h == null || h.isBlank()) {
                throw new IllegalArgumentException("lease holder name must not be blank");
            }
            this.holder = h;
            return this;
        }

        public Builder leaseTtl(Duration ttl) {
            if (ttl.toMillis() < 300) {
                throw new IllegalArgumentException("lease ttl must be at least 300ms, got " + ttl);
            }
            this.leaseTtl = ttl;
            return this;
        }

        public Builder writer(SnapshotWriter w) {
            this.writer = Objects.requireNonNull(w);
            return this;
        }

        public Builder commitEvery(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("commitEvery must be positive, got " + n);
            }
            this.commitEvery = n;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        /** Null turns retention off. */
        public Builder retention(RetentionPolicy r) {
            this.retention = r;
            return this;
        }

        public Builder listener(BuildListener l) {
            this.listener = Objects.requireNonNull(l);
            return this;
        }

        public Builder progress(Progress p) {
            this.progress = Objects.requireNonNull(p);
            return this;
        }

        /** Whether builds write the plain {@code snapshot.db} HarmonyLite nodes boot from (default yes). */
        public Builder bootCopy(boolean on) {
            this.bootCopy = on;
            return this;
        }

        /** How builds store the database: page sets over a full copy by default; {@link LayerPolicy#FULL_ONLY} not. */
        public Builder layers(LayerPolicy policy) {
            this.layers = Objects.requireNonNull(policy);
            return this;
        }

        public BuildOptions build() {
            return new BuildOptions(holder, leaseTtl, workDir, writer, commitEvery, clock, retention, listener, progress,
                    bootCopy, layers);
        }
    }

    static String defaultHolder() {
        String host = System.getenv().getOrDefault("HOSTNAME", "local");
        return host + "/" + ProcessHandle.current().pid();
    }
}
