package org.w4r.replay;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bench's freshness percentiles on latencies known in advance. */
class FreshnessTest {
    private static final long MS = 1_000_000;

    @Test
    void theKthAcknowledgementIsSeenWhenTheStreamedTotalFirstReachesK() {
        long[] acks = new long[100];
        List<LiveStream.Point> points = new ArrayList<>();
        for (int k = 1; k <= 100; k++) {
            acks[k - 1] = 1_000 * MS + k * 10 * MS;
            points.add(new LiveStream.Point(acks[k - 1] + k * MS, k)); // the k-th is seen k ms after its answer
        }
        Freshness.Result fresh = Freshness.of(acks, points);
        Histogram h = fresh.nanos();
        assertEquals(0, fresh.unseen());
        assertEquals(100, h.getTotalCount());
        assertSame(50 * MS, h.getValueAtPercentile(50));
        assertSame(99 * MS, h.getValueAtPercentile(99));
        assertSame(100 * MS, h.getMaxValue());
        assertSame(1 * MS, h.getMinValue());
    }

    @Test
    void aTotalThatJumpsCoversEveryAcknowledgementBelowItAndWhatNeverShowsIsUnseen() {
        long[] acks = {10 * MS, 20 * MS, 30 * MS, 40 * MS, 50 * MS};
        // one update saying 3 at 25 ms (the third was counted before its own answer came back: 0), then nothing
        Freshness.Result fresh = Freshness.of(acks, List.of(new LiveStream.Point(25 * MS, 3)));
        assertEquals(2, fresh.unseen());
        Histogram h = fresh.nanos();
        assertEquals(3, h.getTotalCount());
        assertSame(15 * MS, h.getMaxValue());
        assertSame(0, h.getMinValue());
    }

    /** The same value at HdrHistogram's three significant digits. */
    private static void assertSame(long expected, long actual) {
        assertEquals(expected, actual, expected / 1000.0 + 1, "expected " + expected + ", got " + actual);
    }
}
