package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.core.change.SequenceGapException;
import io.tidemark.core.cluster.ClusterConfig;
import io.tidemark.core.lease.LeaseHeldException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CliErrorsTest {
    @Test
    void ourOwnIllegalArgument_isBadInput_aLibrarysIsAFailure() {
        IllegalArgumentException ours = catchIae(() -> ClusterConfig.defaults().withShards(0));
        IllegalArgumentException jdks = catchIae(() -> Integer.parseInt("x"));
        assertThat(CliErrors.exitCode(ours)).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(CliErrors.kind(ours)).isEqualTo("bad input");
        assertThat(CliErrors.exitCode(jdks)).isEqualTo(ExitCodes.FAILED);
        assertThat(CliErrors.kind(jdks)).isEqualTo("failed");
    }

    @Test
    void gapAndLeaseHeld_haveTheirOwnCodes() {
        assertThat(CliErrors.exitCode(new SequenceGapException("s-1", 5, 9))).isEqualTo(ExitCodes.GAP);
        assertThat(CliErrors.exitCode(new LeaseHeldException("snapshot-leader", "node-1", Instant.EPOCH)))
                .isEqualTo(ExitCodes.LEASE_HELD);
    }

    @Test
    void wrappedFileErrors_readAsPlainWords() {
        UncheckedIOException e = new UncheckedIOException(catchIo(() -> Files.readString(Path.of("/no/such/f"))));
        assertThat(CliErrors.message(e)).isEqualTo("no such file or folder: /no/such/f");
        assertThat(CliErrors.message(new IllegalStateException("upload failed: java.io.IOException: reset")))
                .isEqualTo("upload failed: reset");
    }

    private static IllegalArgumentException catchIae(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            return e;
        }
        throw new AssertionError("no IllegalArgumentException");
    }

    private interface IoCall {
        void run() throws java.io.IOException;
    }

    private static NoSuchFileException catchIo(IoCall r) {
        try {
            r.run();
        } catch (NoSuchFileException e) {
            return e;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no NoSuchFileException");
    }
}
