package org.w4r.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * The highest offered rate one side sustains, found by measuring it: from a first rate, doubling until a run does
 * not hold (or the cap is reached), then halving the interval between the highest rate that held and the lowest
 * that did not, until they are within {@code resolution} of the latter. It assumes that a rate that holds means
 * every lower one does, which a noisy or ageing platform may contradict: each run is reported, so one can see.
 */
final class MaxRate {
    /** Below this, a side that holds nothing is reported as holding nothing, rather than searched further. */
    static final double FLOOR = 10;

    /** One measured run: does the side sustain this offered rate? */
    interface Probe {
        boolean holds(double rate) throws Exception;
    }

    record Tried(double rate, boolean held) {
    }

    /** {@code max} 0: not even the floor held. {@code capped}: the cap held, so the true maximum may be higher. */
    record Result(double max, boolean capped, List<Tried> tried) {
    }

    private MaxRate() {
    }

    static Result find(double from, double cap, double resolution, Probe probe) throws Exception {
        if (from <= 0 || cap < from || resolution <= 0) {
            throw new IllegalArgumentException("need 0 < first rate <= cap and a resolution above 0");
        }
        List<Tried> tried = new ArrayList<>();
        double held = 0, failed;
        double rate = Math.round(from);
        while (true) {
            boolean ok = probe.holds(rate);
            tried.add(new Tried(rate, ok));
            if (!ok) {
                failed = rate;
                break;
            }
            held = rate;
            if (rate >= cap) {
                return new Result(held, true, tried);
            }
            rate = Math.round(Math.min(cap, rate * 2));
        }
        while (failed - held > resolution * failed && failed > FLOOR) {
            rate = Math.round((held + failed) / 2);
            if (rate <= held || rate >= failed) {
                break; // whole requests per second: nothing left between them
            }
            boolean ok = probe.holds(rate);
            tried.add(new Tried(rate, ok));
            if (ok) {
                held = rate;
            } else {
                failed = rate;
            }
        }
        return new Result(held, false, tried);
    }

    /**
     * Why a run does not count as sustained, or null when it does: its p99 (from the intended starts) above the
     * limit, or any request not answered 2xx the first time (refused, outcome unknown, or not answered at all).
     */
    static String shortfall(OpenLoad.Result r, long maxP99Nanos) {
        long p99 = r.latencyNanos().getValueAtPercentile(99);
        List<String> why = new ArrayList<>();
        if (p99 > maxP99Nanos) {
            why.add(String.format("p99 %.0f ms > %.0f ms", p99 / 1e6, maxP99Nanos / 1e6));
        }
        long notOk = r.schedule().size() - r.answers().first(AnswerClass.OK);
        if (notOk > 0) {
            why.add(String.format("%,d of %,d not answered 2xx", notOk, r.schedule().size()));
        }
        return why.isEmpty() ? null : String.join(", ", why);
    }
}
