package org.w4r.replay;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long after its 2xx an action shows in the live stream. The k-th acknowledgement of a run (in time order) is
 * taken as visible when the streamed total of the run's case first reaches k: by then at least k of the run's
 * actions were counted. An action counted before its own answer arrived gets 0.
 */
final class Freshness {
    record Result(Histogram nanos, long unseen) {
    }

    private Freshness() {
    }

    static Result of(long[] sortedAcks, List<LiveStream.Point> points) {
        return of(sortedAcks, points, 0);
    }

    /** When the case already held {@code baseline} actions before the run (the max-rate search reuses cases). */
    static Result of(long[] sortedAcks, List<LiveStream.Point> points, long baseline) {
        Histogram h = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        int p = 0;
        long unseen = 0;
        for (int k = 1; k <= sortedAcks.length; k++) {
            while (p < points.size() && points.get(p).total() - baseline < k) {
                p++;
            }
            if (p == points.size()) {
                unseen += sortedAcks.length - k + 1;
                break;
            }
            h.recordValue(Math.max(0, Math.min(h.getHighestTrackableValue(), points.get(p).nanos() - sortedAcks[k - 1])));
        }
        return new Result(h, unseen);
    }
}
