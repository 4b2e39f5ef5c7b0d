package org.w4r.replay;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The max-rate search over measured functions given here, and what makes a measured run count as sustained. */
class MaxRateTest {
    @Test
    void theSearchEndsWithinItsResolutionBelowTheTrueMaximumWhereverItStarts() throws Exception {
        for (double truth : new double[]{37, 1_234, 3_217, 4_000, 9_999}) {
            for (double from : new double[]{100, 1_000, 2_500, 5_000}) {
                List<Double> asked = new ArrayList<>();
                MaxRate.Result r = MaxRate.find(from, 100_000, 0.05, rate -> {
                    asked.add(rate);
                    return rate <= truth;
                });
                String seen = "truth " + truth + " from " + from + ": " + r;
                assertTrue(r.max() <= truth, seen);
                assertTrue(r.max() >= truth * 0.95 - 1, seen);
                assertFalse(r.capped(), seen);
                assertEquals(asked, r.tried().stream().map(MaxRate.Tried::rate).toList(), "each run reported, in order");
                assertEquals(r.max(), r.tried().stream().filter(MaxRate.Tried::held).mapToDouble(MaxRate.Tried::rate).max().orElse(0));
                assertTrue(asked.size() <= 14, seen + " took " + asked.size() + " runs");
            }
        }
    }

    @Test
    void aSideThatHoldsTheCapIsReportedAsCappedAndOneThatHoldsNothingAsNone() throws Exception {
        MaxRate.Result capped = MaxRate.find(1_000, 8_000, 0.05, rate -> true);
        assertEquals(8_000, capped.max());
        assertTrue(capped.capped());
        assertEquals(List.of(1_000.0, 2_000.0, 4_000.0, 8_000.0), capped.tried().stream().map(MaxRate.Tried::rate).toList());

        MaxRate.Result none = MaxRate.find(1_000, 8_000, 0.05, rate -> false);
        assertEquals(0, none.max());
        assertFalse(none.capped());
        assertTrue(none.tried().stream().allMatch(t -> !t.held()));
        assertTrue(none.tried().get(none.tried().size() - 1).rate() <= MaxRate.FLOOR, none.toString());

        assertThrows(IllegalArgumentException.class, () -> MaxRate.find(0, 10, 0.05, rate -> true));
        assertThrows(IllegalArgumentException.class, () -> MaxRate.find(100, 10, 0.05, rate -> true));
    }

    @Test
    void aRunIsSustainedOnlyWithItsP99WithinTheLimitAndEveryRequestAnswered2xx() {
        long second = TimeUnit.SECONDS.toNanos(1);
        assertNull(MaxRate.shortfall(run(990, 0, 0), second));
        // HdrHistogram keeps three significant digits: 1,500 ms reads back as 1,500 or 1,501
        assertTrue(MaxRate.shortfall(run(1_500, 0, 0), second).matches("p99 150[01] ms > 1000 ms"));
        assertEquals("1 of 100 not answered 2xx", MaxRate.shortfall(run(10, 1, 0), second));
        assertEquals("1 of 100 not answered 2xx", MaxRate.shortfall(run(10, 0, 1), second), "not answered at all");
        assertTrue(MaxRate.shortfall(run(2_000, 2, 1), second).matches("p99 200[01] ms > 1000 ms, 3 of 100 not answered 2xx"));
    }

    /** 100 requests, the slowest ones at {@code p99Ms}; {@code unknown} answered 503, {@code unanswered} never. */
    private static OpenLoad.Result run(long p99Ms, int unknown, int unanswered) {
        Histogram h = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
        Answers answers = new Answers();
        for (int i = 0; i < 100; i++) {
            h.recordValue(TimeUnit.MILLISECONDS.toNanos(i < 95 ? 5 : p99Ms));
            answers.answered(i < unknown ? AnswerClass.OUTCOME_UNKNOWN
                    : i < unknown + unanswered ? AnswerClass.UNANSWERED : AnswerClass.OK);
        }
        Schedule schedule = new Schedule("constant", 100, new long[100]);
        long ok = answers.first(AnswerClass.OK);
        return new OpenLoad.Result("platform", schedule, ok, 100 - ok, h, 1, new long[(int) ok], 0, null, answers);
    }
}
