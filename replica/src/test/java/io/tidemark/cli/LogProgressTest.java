package io.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogProgressTest {
    @Test
    void logsAPhasesStart_thenAtMostOncePerInterval_andItsEndOnce() {
        AtomicLong now = new AtomicLong();
        List<String> lines = new ArrayList<>();
        LogProgress p = new LogProgress(Duration.ofSeconds(10), now::get, lines::add);
        p.update("restore", 0, 1000);
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        p.update("restore", 300, 1000); // too soon
        now.addAndGet(Duration.ofSeconds(8).toNanos());
        p.update("restore", 600, 1000);
        p.update("restore", 1000, 1000);
        p.update("restore", 1000, 1000); // already ended
        p.update("replay", 5, 0);
        assertThat(lines).containsExactly("restore: 0.0% (0 of 1,000 bytes)", "restore: 60.0% (600 of 1,000 bytes)",
                "restore: 100.0% (1,000 of 1,000 bytes), done", "replay: 5 changes");
    }
}
