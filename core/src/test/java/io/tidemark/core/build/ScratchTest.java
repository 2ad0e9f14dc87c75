package io.tidemark.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {
    @TempDir
    Path work;

    @Test
    void aDeadBuildsScratch_isSwept_aLiveOneIsNot_andOtherFilesStay() throws Exception {
        Path live = Scratch.create(work, "build-");
        Path dead = Files.createDirectories(work.resolve("build-123"));
        Files.writeString(dead.resolve(".owner"), ""); // its process is gone: nobody holds the lock
        Files.write(dead.resolve("base.sqlite"), new byte[1024]);
        Path mine = Files.createDirectories(work.resolve("replica.db.d"));

        assertThat(Scratch.sweep(work)).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(live).isDirectory();
        assertThat(mine).isDirectory();

        Scratch.delete(live);
        assertThat(live).doesNotExist();
    }

    @Test
    void creatingScratch_sweepsWhatDeadBuildsLeft() throws Exception {
        Path dead = Files.createDirectories(work.resolve("publish-9"));
        Files.writeString(dead.resolve(".owner"), "");
        Path live = Scratch.create(work, "build-");
        assertThat(dead).doesNotExist();
        Scratch.delete(live);
    }
}
