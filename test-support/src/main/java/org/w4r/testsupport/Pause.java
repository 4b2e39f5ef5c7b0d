package org.w4r.testsupport;

/** A test's deliberate wait (a steady stream's pace, room for a late arrival), not a wait for a condition. */
public final class Pause {
    private Pause() {
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
