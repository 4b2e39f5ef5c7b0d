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
    static final class Pending {
        private final Committer.Member<SignatureService.Checked, Recorded> member;
        private final CompletableFuture<Answer> answer;
        /**
         * Its Idempotency-Key was found held by a committed earlier request in a round of its group: whatever fails
         * later, that request is stored. Read and written by its writer only.
         */
        boolean keyHeld;

        Pending(Committer.Member<SignatureService.Checked, Recorded> member, CompletableFuture<Answer> answer) {
            this.member = member;
            this.answer = answer;
        }

        Committer.Member<SignatureService.Checked, Recorded> member() {
            return member;
        }

        CompletableFuture<Answer> answer() {
            return answer;
        }

        boolean keyed() {
            return member.key() != null;
        }

        void fail(ProblemException problem) {
            answer.completeExceptionally(problem);
        }

        /**
         * "Not stored", true of this attempt; but the earlier request that holds its key is stored: its answer is to
         * be had with the same key, not a "not stored" (a read-only review, 6 December 2026).
         */
        void failNotStored(WriteFailed.Subject subject) {
            fail(keyHeld ? WriteFailed.heldAnswerUnread() : WriteFailed.notStored(subject, keyed()));
        }
    }

    private BlockingQueue<Pending> queue;
    final List<Thread> threads = new ArrayList<>(); // package-private: GroupCommitGatherTest interrupts one
    private volatile boolean running = true;

    /**
     * Writers whose loop has not ended. A writer that ended while the service ran was never replaced, and submit
     * looked only at {@code running}: signatures queued with nobody to write them, their callers waited for ever, then
     * everyone was told 429 or 503 while readiness stayed up (a read-only review, 6 December 2026). The loop now
     * outlives interrupts and every Throwable of a group; should a writer end all the same, {@link #writersAlive} says
     * so to submit (none left: refused at once) and to {@link SignatureWritersHealth}.
     */
    private final AtomicInteger alive = new AtomicInteger();

    /** The answer to a group whose writer met something unexpected, made ahead: making it then may fail too. */
    private static final ProblemException UNEXPECTED = new ProblemException(Problem.of(500, "internal", "Internal error",
            "the signature may or may not be stored; retry with the same Idempotency-Key; the error has been logged"));

    void start(@Observes StartupEvent event) {
        queue = new ArrayBlockingQueue<>(settings.queueSize());
        for (int i = 0; i < settings.writers(); i++) {
            Thread thread = new Thread(this::write, "signature-writer-" + i);
            thread.setDaemon(true);
            alive.incrementAndGet();
            thread.start();
            threads.add(thread);
        }
    }

    /** How many writers are running; fewer than {@link Settings#writers()} once one has ended. */
    public int writersAlive() {
        return alive.get();
    }

    /** How many writers this instance starts. */
    public int writers() {
        return settings.writers();
    }

    /** Queues a checked signature; the answer completes once it is committed (or refused, or failed). */
    CompletableFuture<Answer> submit(Committer.Member<SignatureService.Checked, Recorded> member) {
        String entityId = member.command().entityId();
        AtomicInteger mine = waiting.computeIfAbsent(entityId,
                k -> new AtomicInteger());
        if (mine.incrementAndGet() > settings.entityShare()) {
            mine.decrementAndGet();
            throw limits.queueShareFull(entityId, settings.entityShare(), member.key() != null);
        }
        Pending pending = new Pending(member, new CompletableFuture<>());
        boolean keyed = member.key() != null;
        if (!running || alive.get() == 0) {
            mine.decrementAndGet();
            throw noWriter(keyed);
        }
        if (!queue.offer(pending)) {
            mine.decrementAndGet();
            // nothing is read here (a queue full is a flood): the key may still hold an earlier attempt's answer
            throw new ProblemException(Problem.of(503, "overloaded", "Too many signatures at once",
                    "petition-service has " + settings.queueSize() + " signatures waiting to be written; "
                            + (keyed ? WriteFailed.THIS_ATTEMPT + " in a second" : "retry in a second"))
                    .retryAfter(1));
        }
        pending.answer().whenComplete((answer, failure) -> mine.decrementAndGet());
        if (alive.get() == 0) {
            answerQueued(); // the last writer ended as this was queued: nobody else will answer it
        }
        return pending.answer();
    }

    /** No writer left to write a signature on this instance: nothing was tried, so this attempt stored nothing. */
    private static ProblemException noWriter(boolean keyed) {
        return new ProblemException(Problem.of(503, "overloaded", "Cannot write signatures now",
                "petition-service cannot write signatures on this instance now; "
                        + (keyed ? WriteFailed.THIS_ATTEMPT + " in a second" : "nothing was stored: retry in a second"))
                .retryAfter(1));
    }

    /** Answers what is queued with nobody left to write it: never tried, so not stored by these attempts. */
    private void answerQueued() {
        for (Pending p; (p = queue.poll()) != null; ) {
            p.fail(noWriter(p.keyed()));
        }
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
    long unavailablePauseNanos = TimeUnit.SECONDS.toNanos(1); // package-private: GroupCommitGatherTest lengthens it
    private volatile long unavailableUntil = System.nanoTime();

    /** A writer thread: the loop, and what must happen however it ends. */
    private void write() {
        List<Pending> group = new ArrayList<>(settings.groupSize());
        try {
            run(group);
        } finally {
            // only if the loop itself failed is anything left here; the answer was made ahead
            group.forEach(p -> p.fail(UNEXPECTED));
            group.clear();
            int left = alive.decrementAndGet();
            if (running) {
                LOG.errorf("signature writer %s ended while the service runs; %d of %d writers left",
                        Thread.currentThread().getName(), left, settings.writers());
            }
            if (left == 0) {
                // at a stop too: a signature offered after the last writer's final look at the queue, and before this,
                // found a writer alive and was never answered (a review of the fix, 6 December 2026)
                answerQueued();
            }
        }
    }

    private void run(List<Pending> group) {
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
                if (System.nanoTime() - unavailableUntil < 0) {
                    notStored(group); // nothing was tried: this attempt is certainly not stored
                    continue;
                }
                boolean interrupted = busy && queued && running && gatherNanos > 0 && gather(group, gatherNanos);
                busy = group.size() > 1;
                WriteFailed failure = commit(group);
                if (failure != null && failure.failure() != null && failure.failure().unavailable()) {
                    unavailableUntil = System.nanoTime() + unavailablePauseNanos;
                }
                if (interrupted) {
                    throw new InterruptedException(); // taken below, now that the group is answered
                }
            } catch (InterruptedException e) {
                // not running: drain what is queued, then stop. Running: an interrupt ended this writer, and nothing
                // replaced it (a read-only review, 6 December 2026); no one here asks a writer to stop but stop(),
                // so it is noted (no signer's data: the thread's name only) and the loop goes on. The throw cleared
                // the flag.
                if (running) {
                    LOG.warnf("signature writer %s: interrupted while running; it goes on",
                            Thread.currentThread().getName());
                }
            } catch (Throwable e) {
                // a writer that ends leaves every later signature waiting: answer this group, go on. An Error too, and
                // whatever answering it throws (it once ended the writer: the same review)
                unexpected(group, e);
            } finally {
                group.clear();
            }
        }
    }

    /** Answers the group of a writer that met {@code e}: logged, if that can be done, then each member answered. */
    private static void unexpected(List<Pending> group, Throwable e) {
        try {
            DatabaseProblems.Failure failure = DatabaseProblems.failure(e);
            StackTraceElement[] stack = e.getStackTrace();
            LOG.errorf("signature writer: unexpected %s at %s (SQLSTATE %s)", e.getClass().getName(),
                    stack.length == 0 ? "?" : stack[0], failure == null ? "none" : failure.sqlState());
        } catch (Throwable again) {
            // the log failed too (out of memory, a stack overflow): the group's answers matter more
        }
        for (Pending p : group) {
            p.fail(UNEXPECTED);
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
            for (int m = 0; m < group.size(); m++) {
                group.get(m).keyHeld |= e.keyHeld(m); // kept down to the halves: each is answered with it
            }
            if (e.inCommit()) {
                LOG.warnf("signature writer: the commit of %d signatures failed (SQLSTATE %s); outcome unknown",
                        group.size(), e.sqlState());
                group.forEach(p -> p.fail(e.problem(WriteFailed.Subject.SIGNATURE, p.keyed())));
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
            Pending alone = group.get(0);
            // its key held, it wrote nothing of its own: the failure is not its answer, the stored one is
            alone.fail(alone.keyHeld ? WriteFailed.heldAnswerUnread() : e.problem(WriteFailed.Subject.SIGNATURE, alone.keyed()));
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
        group.forEach(p -> p.failNotStored(WriteFailed.Subject.SIGNATURE));
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }
}
