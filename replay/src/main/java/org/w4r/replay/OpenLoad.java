package org.w4r.replay;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends requests at their scheduled times over {@code connections} kept-alive connections (one thread each: it
 * takes the next request, waits for its intended start, sends it, reads the answer) and records each latency from
 * the <em>intended</em> start, not from when a connection was free: a stall of the server, or of this generator,
 * then shows in the percentiles instead of silently slowing the arrivals down (coordinated omission, corrected
 * as wrk2 does).
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

    static Result run(String target, URI uri, Schedule schedule, int connections, IntFunction<byte[]> request)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(5), 3);
        long[] acks = new long[schedule.size()];
        AtomicInteger next = new AtomicInteger(), ackCount = new AtomicInteger();
        AtomicLong ok = new AtomicLong(), errors = new AtomicLong(), lastDone = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            Thread thread = new Thread(() -> {
                try (HttpConnection connection = new HttpConnection(uri)) {
                    for (int i; (i = next.getAndIncrement()) < schedule.size(); ) {
                        long intended = start + schedule.offsetsNanos()[i];
                        for (long wait; (wait = intended - System.nanoTime()) > 0; ) {
                            LockSupport.parkNanos(wait);
                        }
                        if (System.nanoTime() - intended > MAX_BEHIND_NANOS) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "fell more than 30 s behind the schedule: the rest was not sent");
                            continue;
                        }
                        int status;
                        try {
                            status = connection.exchange(request.apply(i));
                        } catch (IOException | RuntimeException e) {
                            connection.close();
                            status = -1;
                            firstError.compareAndSet(null, e.toString());
                        }
                        long done = System.nanoTime();
                        latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(0, done - intended)));
                        lastDone.accumulateAndGet(done, Math::max);
                        if (status / 100 == 2) {
                            ok.incrementAndGet();
                            acks[ackCount.getAndIncrement()] = done;
                        } else {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "HTTP " + status);
                        }
                    }
                }
            }, "load-" + target + "-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] ackTimes = Arrays.copyOf(acks, ackCount.get());
        Arrays.sort(ackTimes);
        double seconds = Math.max(schedule.seconds(), (lastDone.get() - start) / 1e9);
        return new Result(target, schedule, ok.get(), errors.get(), latency, seconds, ackTimes, start, firstError.get());
    }
}
