package org.w4r.replay;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes (the tool waits for reference data to propagate). */
final class Await {
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting after " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
