package io.tidemark.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A file's sha256, read on one thread and hashed on another, is the sha256 of its bytes. */
class HashingTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1 << 20, (1 << 20) + 1, (7 << 19) + 4096})
    void fileHash_equalsTheHashOfItsBytes_atAndAroundBufferEdges(int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = Files.write(dir.resolve("f"), bytes);

        assertThat(Hashing.sha256(file)).isEqualTo(Hashing.sha256(bytes));
    }
}
