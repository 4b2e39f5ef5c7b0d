package org.w4r.replay;

/**
 * An open model's arrival times: when each request is meant to start, fixed in advance and independent of how fast
 * answers come back. Constant: one every 1/rate. Spike: a fifth of the rate, then the full rate for the middle
 * fifth of the run, then a fifth again (a campaign's e-mail blast).
 */
record Schedule(String profile, double rate, long[] offsetsNanos) {

    static Schedule of(String profile, double rate, double seconds) {
        java.util.List<Long> offsets = new java.util.ArrayList<>();
        double t = 0;
        while (t < seconds) {
            offsets.add((long) (t * 1e9));
            t += 1 / rateAt(profile, rate, t / seconds);
        }
        return new Schedule(profile, rate, offsets.stream().mapToLong(Long::longValue).toArray());
    }

    static double rateAt(String profile, double rate, double fraction) {
        return switch (profile) {
            case "constant" -> rate;
            case "spike" -> fraction >= 0.4 && fraction < 0.6 ? rate : rate / 5;
            default -> throw new IllegalArgumentException("profile must be constant or spike: " + profile);
        };
    }

    int size() {
        return offsetsNanos.length;
    }

    double seconds() {
        return offsetsNanos.length == 0 ? 0 : offsetsNanos[offsetsNanos.length - 1] / 1e9;
    }
}
