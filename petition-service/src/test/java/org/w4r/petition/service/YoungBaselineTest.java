package org.w4r.petition.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The threshold at which the scheduled anomaly scan reads a young campaign's baseline again: more than a twentieth
 * longer than the one it read, not at a twentieth ({@link AnomalyWatch#grown}). AnomalyTest shows it against the
 * database at a 35-minute baseline, where a minute is 2.9 % and two are 5.7 %; this pins the edge itself.
 */
class YoungBaselineTest {
    private static final Instant WINDOW = Instant.parse("2026-12-10T12:00:00Z");

    private static AnomalyWatch.Period baseline(double minutes) {
        return new AnomalyWatch.Period(WINDOW, WINDOW.minusMillis((long) (minutes * 60_000)), 10, minutes);
    }

    @Test
    void aBaselineIsReadAgainOnlyOnceItHasGrownByMoreThanATwentieth() {
        assertEquals(0.05, AnomalyWatch.YOUNG_GROWTH);
        assertFalse(AnomalyWatch.grown(baseline(100), baseline(100)));
        assertFalse(AnomalyWatch.grown(baseline(100), baseline(104.9)));
        assertFalse(AnomalyWatch.grown(baseline(100), baseline(105)), "a twentieth exactly: kept");
        assertTrue(AnomalyWatch.grown(baseline(100), baseline(105.1)));
        assertTrue(AnomalyWatch.grown(baseline(19), baseline(20)), "under twenty minutes, every minute");
        assertFalse(AnomalyWatch.grown(baseline(20), baseline(21)), "from twenty, every minute and a bit");
        assertFalse(AnomalyWatch.grown(baseline(200), baseline(210)), "from about three hours, every ten minutes or so");
        assertTrue(AnomalyWatch.grown(baseline(200), baseline(211)));
        assertFalse(AnomalyWatch.grown(baseline(35), baseline(16)), "a shorter baseline has not grown: the opening "
                + "moved, which the kept baseline's key catches (AnomalyTest)");
        assertTrue(AnomalyWatch.grown(baseline(0), baseline(1)), "a baseline read at the opening, once a minute has passed");
    }
}
