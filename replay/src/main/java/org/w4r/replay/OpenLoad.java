package org.w4r.replay;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends requests at their scheduled times over at most {@code connections} connections, and records each latency
 * from the request's <em>intended</em> start, not from when it could actually be sent: a stall of the server (or
 * of this generator) then shows in the percentiles instead of silently slowing the arrivals down (coordinated
 * omission, corrected as wrk2 does).
 */
final class OpenLoad {
    /** Give up a run that falls this far behind its schedule: the rest counts as errors. */
    private static final long MAX_BEHIND_NANOS = TimeUnit.SECONDS.toNanos(30);

    record Result(String target, Schedule schedule, long ok, long errors, Histogram latencyNanos, double seconds,
                  long[] ackNanos, long startNanos, String firstError) {
        double throughput() {
            return ok / seconds;
        }
    }

    private OpenLoad() {
    }

    static Result run(String target, HttpClient client, Schedule schedule, int connections,
                      IntFunction<HttpRequest> request) throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(5), 3);
        long[] acks = new long[schedule.size()];
        AtomicInteger ackCount = new AtomicInteger();
        AtomicLong ok = new AtomicLong(), errors = new AtomicLong();
        AtomicLong lastDone = new AtomicLong();
        StringBuffer firstError = new StringBuffer();
        Semaphore slots = new Semaphore(connections);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        int sent = 0;
        for (; sent < schedule.size(); sent++) {
            long intended = start + schedule.offsetsNanos()[sent];
            for (long wait; (wait = intended - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            if (System.nanoTime() - intended > MAX_BEHIND_NANOS) {
                slots.release();
                break;
            }
            client.sendAsync(request.apply(sent), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                try {
                    long done = System.nanoTime();
                    latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(0, done - intended)));
                    lastDone.accumulateAndGet(done, Math::max);
                    if (failure == null && response.statusCode() / 100 == 2) {
                        ok.incrementAndGet();
                        acks[ackCount.getAndIncrement()] = done;
                    } else {
                        errors.incrementAndGet();
                        if (firstError.length() == 0) {
                            firstError.append(failure != null ? failure.toString() : "HTTP " + response.statusCode());
                        }
                    }
                } finally {
                    slots.release(); // last: the final acquire below then sees every count
                }
            });
        }
        slots.acquire(connections); // every answer is in
        slots.release(connections);
        errors.addAndGet(schedule.size() - sent);
        if (sent < schedule.size() && firstError.length() == 0) {
            firstError.append("fell more than 30 s behind the schedule; ").append(schedule.size() - sent).append(" not sent");
        }
        long[] ackTimes = Arrays.copyOf(acks, ackCount.get());
        Arrays.sort(ackTimes);
        double seconds = Math.max(schedule.seconds(), (lastDone.get() - start) / 1e9);
        return new Result(target, schedule, ok.get(), errors.get(), latency, seconds, ackTimes, start,
                firstError.length() == 0 ? null : firstError.toString());
    }
}
