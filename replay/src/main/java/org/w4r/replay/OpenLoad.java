package org.w4r.replay;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * Sends requests at their scheduled times over {@code connections} kept-alive connections (one thread each: it
 * takes the next request, waits for its intended start, sends it, reads the answer) and records each latency from
 * the <em>intended</em> start, not from when a connection was free: a stall of the server, or of this generator,
 * then shows in the percentiles instead of silently slowing the arrivals down (coordinated omission, corrected
 * as wrk2 does). An answer that leaves the outcome unknown is retried with the same request (the same
 * Idempotency-Key) on connections of their own ({@link RetryPolicy}), so retries never hold up the schedule; only
 * first answers are in the latencies, and the retries' ends are counted apart ({@link Answers}). A request whose
 * connection failed (other than a kept-alive one found closed before any answer, {@link HttpConnection#exchange})
 * is unanswered, and not sent again.
 */
final class OpenLoad {
    /**
     * A request this far behind its intended start is not sent: it counts as unanswered, and is in the latencies
     * with how late it was, so the percentiles show the run fell behind. Skipping them lets the run catch up.
     */
    private static final long MAX_BEHIND_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int RETRY_THREADS = 32;

    /**
     * {@code ok} and {@code errors} count first answers; {@code ackNanos} holds when every 2xx arrived, retries'
     * included (each is one more action the site was told is stored).
     */
    record Result(String target, Schedule schedule, long ok, long errors, Histogram latencyNanos, double seconds,
                  long[] ackNanos, long startNanos, String firstError, Answers answers) {
        double throughput() {
            return ok / seconds;
        }

        long acknowledged() {
            return ackNanos.length;
        }
    }

    private OpenLoad() {
    }

    static Result run(String target, URI uri, Schedule schedule, int connections, IntFunction<byte[]> request,
                      RetryPolicy retry) throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(5), 3);
        long[] acks = new long[schedule.size()];
        AtomicInteger next = new AtomicInteger(), ackCount = new AtomicInteger();
        AtomicLong ok = new AtomicLong(), errors = new AtomicLong(), lastDone = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        Answers answers = new Answers();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        List<Thread> threads = new ArrayList<>();
        try (Retries retries = new Retries(uri, retry, answers, done -> acks[ackCount.getAndIncrement()] = done)) {
            for (int t = 0; t < connections; t++) {
                Thread thread = new Thread(() -> {
                    try (HttpConnection connection = new HttpConnection(uri)) {
                        for (int i; (i = next.getAndIncrement()) < schedule.size(); ) {
                            long intended = start + schedule.offsetsNanos()[i];
                            for (long wait; (wait = intended - System.nanoTime()) > 0; ) {
                                LockSupport.parkNanos(wait);
                            }
                            long late = System.nanoTime() - intended;
                            if (late > MAX_BEHIND_NANOS) {
                                // review of 6 December 2026: these were left out of the latencies, so a run that fell
                                // behind could still show a good p99; each is in them with how late it was skipped
                                latency.recordValue(Math.min(latency.getHighestTrackableValue(), late));
                                errors.incrementAndGet();
                                answers.answered(AnswerClass.UNANSWERED);
                                firstError.compareAndSet(null, "fell more than 30 s behind the schedule: requests that late were not sent");
                                continue;
                            }
                            byte[] bytes = request.apply(i);
                            HttpConnection.Reply reply = null;
                            try {
                                reply = connection.exchange(bytes);
                            } catch (IOException | RuntimeException e) {
                                connection.close();
                                firstError.compareAndSet(null, e.toString());
                            }
                            long done = System.nanoTime();
                            latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(0, done - intended)));
                            lastDone.accumulateAndGet(done, Math::max);
                            AnswerClass answer = reply == null ? AnswerClass.UNANSWERED : AnswerClass.of(reply.status(), reply.problemType());
                            answers.answered(answer);
                            if (reply != null && reply.resent()) {
                                answers.resent();
                            }
                            if (answer == AnswerClass.OK) {
                                ok.incrementAndGet();
                                acks[ackCount.getAndIncrement()] = done;
                            } else {
                                errors.incrementAndGet();
                                if (reply != null) {
                                    firstError.compareAndSet(null, "HTTP " + reply.status());
                                }
                                if (answer.retried()) {
                                    retries.later(bytes, 1, reply.retryAfterSeconds());
                                }
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
            retries.awaitAll();
        }
        long[] ackTimes = Arrays.copyOf(acks, ackCount.get());
        Arrays.sort(ackTimes);
        double seconds = Math.max(schedule.seconds(), (lastDone.get() - start) / 1e9);
        return new Result(target, schedule, ok.get(), errors.get(), latency, seconds, ackTimes, start, firstError.get(),
                answers);
    }

    /** The retries of one run: scheduled after their back-off, each sent on a retry thread's own connection. */
    private static final class Retries implements AutoCloseable {
        private final URI uri;
        private final RetryPolicy policy;
        private final Answers answers;
        private final LongConsumer acked;
        private final ScheduledExecutorService scheduler;
        private final List<HttpConnection> connections = new CopyOnWriteArrayList<>();
        private final ThreadLocal<HttpConnection> connection;
        private final AtomicInteger pending = new AtomicInteger();

        Retries(URI uri, RetryPolicy policy, Answers answers, LongConsumer acked) {
            this.uri = uri;
            this.policy = policy;
            this.answers = answers;
            this.acked = acked;
            this.scheduler = Executors.newScheduledThreadPool(RETRY_THREADS, r -> new Thread(r, "load-retry"));
            this.connection = ThreadLocal.withInitial(() -> {
                HttpConnection c = new HttpConnection(this.uri);
                connections.add(c);
                return c;
            });
        }

        /** Schedules retry number {@code attempt}; with no retries allowed, the first answer is all there is. */
        void later(byte[] request, int attempt, long retryAfterSeconds) {
            if (attempt > policy.maxRetries()) {
                return;
            }
            long due = System.nanoTime() + policy.delayNanos(attempt, retryAfterSeconds);
            pending.incrementAndGet();
            scheduler.schedule(() -> send(request, attempt, due), due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        private void send(byte[] request, int attempt, long due) {
            try {
                HttpConnection.Reply reply = null;
                if (System.nanoTime() - due <= MAX_BEHIND_NANOS) {
                    try {
                        reply = connection.get().exchange(request);
                    } catch (IOException | RuntimeException e) {
                        connection.get().close();
                    }
                }
                AnswerClass answer = reply == null ? AnswerClass.UNANSWERED : AnswerClass.of(reply.status(), reply.problemType());
                if (reply != null && reply.resent()) {
                    answers.resent();
                }
                if (answer.retried() && attempt < policy.maxRetries()) {
                    later(request, attempt + 1, reply.retryAfterSeconds());
                    return;
                }
                answers.retried(answer, reply != null && reply.replayed(), attempt);
                if (answer == AnswerClass.OK) {
                    acked.accept(System.nanoTime());
                }
            } finally {
                pending.decrementAndGet();
            }
        }

        void awaitAll() throws InterruptedException {
            while (pending.get() > 0) {
                Thread.sleep(10);
            }
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
            connections.forEach(HttpConnection::close);
        }
    }
}
