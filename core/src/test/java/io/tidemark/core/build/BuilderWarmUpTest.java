package io.tidemark.core.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderWarmUpTest {
    @TempDir
    Path dir;

    @Test
    void appliesEveryChange_andDeletesItsScratch() throws Exception {
        Path scratch = dir.resolve("scratch");
        assertThat(BuilderWarmUp.run(scratch)).isEqualTo(BuilderWarmUp.CHANGES);
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anUnwritableScratch_failsNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> BuilderWarmUp.run(file)).hasMessageContaining(file.toString());
    }
}
