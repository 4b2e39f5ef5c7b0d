package org.w4r.replay;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the replay compares: the wait for the tally, on totals given here poll by poll. */
class ReplayTest {
    /**
     * Review of 6 December 2026: the wait returned as soon as the expected total showed, so an action counted twice
     * that reached the tally a moment later was never compared. Here one does, on the poll after the expected total.
     */
    @Test
    void theTallyIsComparedOnlyOnceItHasStoppedMovingAfterShowingTheExpectedTotal() throws Exception {
        List<Long> totals = List.of(40L, 100L, 101L);
        AtomicInteger polls = new AtomicInteger();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long total = Replay.awaitTally(() -> totals.get(Math.min(polls.getAndIncrement(), totals.size() - 1)), 100,
                Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofMillis(10), System.nanoTime(),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertEquals(101, total, out);
        assertTrue(polls.get() > 3, "polled on after the expected total showed: " + polls.get());
        assertTrue(out.contains("the tally shows 100 actions"), "when it first showed the expected total: " + out);
        assertTrue(out.contains("the tally at 101 actions, unchanged for 0.5 s: comparing"), out);
    }

    @Test
    void aTallyThatStopsBelowTheExpectedTotalIsComparedOnceItHasNotMovedForTheStall() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long total = Replay.awaitTally(() -> 90, 100, Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofMillis(10),
                System.nanoTime(), new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertEquals(90, total);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("the tally stopped at 90 of 100 actions"));
    }
}
