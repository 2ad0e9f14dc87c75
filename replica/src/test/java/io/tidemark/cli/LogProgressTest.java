package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogProgressTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> lines = new ArrayList<>();
    private final LogProgress progress = new LogProgress(Duration.ofSeconds(10), now::get, lines::add);

    private void after(int seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void aLongPhase_logsOncePerInterval_andItsEnd() {
        progress.update("restore", 0, 1000);
        after(3);
        progress.update("restore", 300, 1000); // too soon
        after(8);
        progress.update("restore", 600, 1000);
        after(1);
        progress.update("restore", 700, 1000); // too soon again
        progress.update("restore", 1000, 1000);
        progress.update("restore", 1000, 1000); // already ended
        assertThat(lines).containsExactly("restore: 60.0% (600 of 1,000 bytes)",
                "restore: 100.0% (1,000 of 1,000 bytes), done");
    }

    @Test
    void aShortPhase_logsNothing_andANewPhaseStartsItsOwnInterval() {
        progress.update("upload", 0, 100);
        progress.update("upload", 100, 100);
        progress.update("replay", 0, 0);
        after(11);
        progress.update("replay", 5_000, 0);
        assertThat(lines).containsExactly("replay: 5,000 changes");
    }
}
