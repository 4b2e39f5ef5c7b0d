package org.w4r.petition.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.kit.problem.DatabaseProblems;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for single signatures. Every signature must be durable in PostgreSQL before its 202, and one
 * transaction per request made the commit (and the JTA, Hibernate and round-trip overhead around it) the cost of
 * each signature. Here writer threads take every signature waiting and hand them to the {@link Committer} as one
 * transaction: idempotency keys, signatures and outbox rows each in one batched round trip, then one commit, then
 * every answer. The effect for each request is exactly what a transaction of its own would have had; a signature
 * PostgreSQL refuses is written again in ever smaller groups until it is alone, so one request's failure is never
 * another's.
 */
@ApplicationScoped
public class GroupCommit {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    /** How signatures are written: how many share a commit, on how many threads, and how many may wait. */
    @ConfigMapping(prefix = "w4r.signatures")
    public interface Settings {
        @WithDefault("500")
        int groupSize();

        /**
         * One writer per instance: while it commits, the next group gathers, so groups are larger and commits fewer.
         * Measured on 6 December 2026 (docs/benchmarks.md) against two: at 5,000/s offered 4,409 signatures/s taken
         * against 3,827-3,883, 0.36 ms of CPU per signature against 0.44; at 2,500/s p99 122 ms against 224-478.
         * Two instances still write concurrently (deploy's two replicas), and petition's tests run two writers so
         * that path stays tested in one process.
         */
        @WithDefault("1")
        int writers();

        /**
         * How long a writer that is busy (its last group held more than one signature, and its next first signature
         * was already waiting when it looked) waits for more before it commits: fewer, larger commits for a few
         * milliseconds of latency, as PostgreSQL's {@code commit_delay} waits only while other transactions are
         * active. A writer that had to wait for its first signature commits it at once. Zero turns it off.
         */
        @WithDefault("PT0.005S")
        Duration gather();

        @WithDefault("20000")
        int queueSize();

        /** The most signatures one entity may have waiting (queued or being written): a quarter of the queue. */
        @WithDefault("5000")
        int entityShare();
    }

    @Inject
    Committer committer;

    @Inject
    SignatureService signatures;

    @Inject
    Settings settings;

    @Inject
    RateLimits limits;

    /**
     * Per entity, its signatures submitted and not yet answered. Read-only audit, 4 December 2026: the queue was one
     * FIFO for every entity, so one entity's flood (a leaked key at its rate limit, which is above what the platform
     * writes) filled it, and every other entity met seconds of wait, then {@code 503 overloaded}, while under its own
     * limit. An entry per entity that ever signed: as many as there are entity keys.
     */
    private final ConcurrentHashMap<String, AtomicInteger> waiting =
            new ConcurrentHashMap<>();

    /** A checked signature waiting for its commit, and its answer once it has one. */
    record Pending(Committer.Member<SignatureService.Checked, Recorded> member, CompletableFuture<Answer> answer) {
        void fail(ProblemException problem) {
            answer.completeExceptionally(problem);
        }
    }

    private BlockingQueue<Pending> queue;
    final List<Thread> threads = new ArrayList<>(); // package-private: GroupCommitGatherTest interrupts one
    private volatile boolean running = true;

    void start(@Observes StartupEvent event) {
        queue = new ArrayBlockingQueue<>(settings.queueSize());
        for (int i = 0; i < settings.writers(); i++) {
            Thread thread = new Thread(this::run, "signature-writer-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Queues a checked signature; the answer completes once it is committed (or refused, or failed). */
    CompletableFuture<Answer> submit(Committer.Member<SignatureService.Checked, Recorded> member) {
        String entityId = member.command().entityId();
        AtomicInteger mine = waiting.computeIfAbsent(entityId,
                k -> new AtomicInteger());
        if (mine.incrementAndGet() > settings.entityShare()) {
            mine.decrementAndGet();
            throw limits.queueShareFull(entityId, settings.entityShare());
        }
        Pending pending = new Pending(member, new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            mine.decrementAndGet();
            throw new ProblemException(Problem.of(503, "overloaded", "Too many signatures at once",
                    "petition-service has " + settings.queueSize() + " signatures waiting to be written; retry in a second")
                    .retryAfter(1));
        }
        pending.answer().whenComplete((answer, failure) -> mine.decrementAndGet());
        return pending.answer();
    }

    /** How many times a writer found nothing queued and waited for a first signature (GroupCommitGatherTest). */
    final AtomicInteger idleWaits = new AtomicInteger();

    /** How many signatures are queued, not yet taken by a writer. */
    int queued() {
        return queue.size();
    }

    /** How many of the entity's signatures wait for their commit now: how much of its share is in use. */
    public int waiting(String entityId) {
        AtomicInteger mine = waiting.get(entityId);
        return mine == null ? 0 : mine.get();
    }

    /**
     * For a second after the database was found unreachable, groups are answered "not stored" without trying: each
     * try waits for a connection that will not come, and a burst queued behind an outage once took minutes to be
     * told so. The first group after the pause tries again.
     */
    private static final long UNAVAILABLE_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private volatile long unavailableSince = System.nanoTime() - UNAVAILABLE_PAUSE_NANOS;

    private void run() {
        List<Pending> group = new ArrayList<>(settings.groupSize());
        long gatherNanos = settings.gather().toNanos();
        boolean busy = false;
        while (running || !queue.isEmpty()) {
            try {
                // what arrived while the last group was committed is there at once; a writer that has to wait for
                // its first signature is idle, and a lone one then is committed at once (a review of this change: a
                // signature arriving 1-199 ms after a group of two waited the whole gather for nothing)
                Pending first = queue.poll();
                boolean queued = first != null;
                if (!queued) {
                    idleWaits.incrementAndGet();
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                }
                if (first == null) {
                    busy = false;
                    continue;
                }
                group.add(first);
                queue.drainTo(group, settings.groupSize() - 1);
                if (System.nanoTime() - unavailableSince < UNAVAILABLE_PAUSE_NANOS) {
                    notStored(group); // nothing was tried: certainly not stored
                    continue;
                }
                boolean interrupted = busy && queued && running && gatherNanos > 0 && gather(group, gatherNanos);
                busy = group.size() > 1;
                WriteFailed failure = commit(group);
                if (failure != null && failure.failure() != null && failure.failure().unavailable()) {
                    unavailableSince = System.nanoTime();
                }
                if (interrupted) {
                    throw new InterruptedException(); // taken below, now that the group is answered
                }
            } catch (InterruptedException e) {
                if (!running) {
                    continue; // drain what is queued, then stop
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // a writer that dies leaves every later signature waiting forever: answer this group, go on
                DatabaseProblems.Failure failure = DatabaseProblems.failure(e);
                LOG.errorf("signature writer: unexpected %s at %s (SQLSTATE %s)", e.getClass().getName(),
                        e.getStackTrace().length == 0 ? "?" : e.getStackTrace()[0], failure == null ? "none" : failure.sqlState());
                ProblemException unexpected = new ProblemException(Problem.of(500, "internal", "Internal error",
                        "the signature may or may not be stored; retry with the same Idempotency-Key; the error has been logged"));
                group.forEach(p -> p.fail(unexpected));
            } finally {
                group.clear();
            }
        }
    }

    /**
     * Adds what arrives within {@code nanos} to the group, up to its size. Returns whether the wait was interrupted;
     * the group gathered so far is committed and answered all the same (dropping it would leave its callers waiting
     * forever).
     */
    private boolean gather(List<Pending> group, long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (group.size() < settings.groupSize()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Pending next;
            try {
                next = queue.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return true;
            }
            if (next == null) {
                return false;
            }
            group.add(next);
            queue.drainTo(group, settings.groupSize() - group.size());
        }
        return false;
    }

    /**
     * Writes the group and answers every member. A failure before the commit stored nothing and says so; a commit
     * that fails may have happened all the same, so it is answered {@code outcome-unknown}. Returns how the group
     * failed, or null.
     */
    private WriteFailed commit(List<Pending> group) {
        List<Outcome> outcomes;
        try {
            outcomes = committer.commit(group.stream().map(Pending::member).toList(), signatures::writeAll);
        } catch (WriteFailed e) {
            if (e.inCommit()) {
                LOG.warnf("signature writer: the commit of %d signatures failed (SQLSTATE %s); outcome unknown",
                        group.size(), e.sqlState());
                group.forEach(p -> p.fail(e.problem(WriteFailed.Subject.SIGNATURE, p.member().key() != null)));
                return e;
            }
            if (e.unavailable()) {
                // no member by member: each would wait for a connection again, and none would get one
                LOG.warnf("signature writer: database unavailable (SQLSTATE %s); %d signatures refused, not stored",
                        e.sqlState(), group.size());
                notStored(group);
                return e;
            }
            if (group.size() > 1) {
                // a member PostgreSQL refuses must not fail the others: halve until it is alone
                LOG.warnf("signature writer: a group of %d failed (SQLSTATE %s); writing it in halves", group.size(),
                        e.sqlState());
                int half = group.size() / 2;
                WriteFailed first = commit(group.subList(0, half));
                if (first != null && first.unavailable()) {
                    notStored(group.subList(half, group.size()));
                    return first;
                }
                return commit(group.subList(half, group.size()));
            }
            group.get(0).fail(e.problem(WriteFailed.Subject.SIGNATURE, group.get(0).member().key() != null));
            return e;
        }
        for (int m = 0; m < group.size(); m++) {
            Outcome outcome = outcomes.get(m);
            if (outcome.refused() != null) {
                group.get(m).fail(outcome.refused());
            } else {
                group.get(m).answer().complete(outcome.answer());
            }
        }
        return null;
    }

    private static void notStored(List<Pending> group) {
        group.forEach(p -> p.fail(WriteFailed.notStored(WriteFailed.Subject.SIGNATURE)));
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }
}
