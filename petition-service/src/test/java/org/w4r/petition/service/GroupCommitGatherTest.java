package org.w4r.petition.service;

import jakarta.enterprise.inject.Vetoed;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w4r.kit.problem.DatabaseProblems;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer's gather (issue 20): a busy writer waits for more signatures before it commits, so that a group holds
 * more of them; an idle one never waits; an interrupt during the wait still commits and answers what was gathered.
 * The writer loop is ours, so it runs here over a committer that only records its groups (the real transaction is
 * GroupCommitTest's, against PostgreSQL); every step waits on a latch or on the queue, never on the clock.
 */
class GroupCommitGatherTest {
    /** Records each group's size and holds each commit until the test lets it go. Never a bean of the tests' app. */
    @Vetoed
    static class RecordingCommitter extends Committer {
        final List<Integer> groups = new CopyOnWriteArrayList<>();
        final List<CountDownLatch> releases = new CopyOnWriteArrayList<>();

        @Override
        public <C, R> List<Outcome> commit(List<Member<C, R>> members, Writer<C, R> writer) throws WriteFailed {
            groups.add(members.size());
            CountDownLatch release = new CountDownLatch(1);
            releases.add(release);
            try {
                assertTrue(release.await(30, TimeUnit.SECONDS), "the test never released commit " + groups.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return members.stream().map(m -> new Outcome(new Answer(202, "{}", false), null)).toList();
        }

        void release(int commit) {
            await().until(() -> releases.size() >= commit);
            releases.get(commit - 1).countDown();
        }
    }

    RecordingCommitter committer = new RecordingCommitter();
    final GroupCommit writer = new GroupCommit();

    GroupCommit start(Duration gather, int groupSize) {
        return start(gather, groupSize, 1, 100);
    }

    GroupCommit start(Duration gather, int groupSize, int writers, int queueSize) {
        writer.committer = committer;
        writer.signatures = new SignatureService(); // its writeAll is handed to the committer, never called here
        writer.settings = new GroupCommit.Settings() {
            public int groupSize() { return groupSize; }
            public int writers() { return writers; }
            public Duration gather() { return gather; }
            public int queueSize() { return queueSize; }
            public int entityShare() { return 100; }
        };
        writer.start(null);
        return writer;
    }

    @AfterEach
    void stop() throws InterruptedException {
        committer.releases.forEach(CountDownLatch::countDown);
        writer.stop(null);
    }

    CompletableFuture<Answer> sign() {
        return sign(null);
    }

    /** With an Idempotency-Key {@code key}, or none (null). */
    CompletableFuture<Answer> sign(String key) {
        SignatureService.Checked checked = new SignatureService.Checked("gather-entity", Map.of(), null, null,
                null, null, false, false, null, null, null);
        return writer.submit(new Committer.Member<>(key == null ? null : new IdempotencyKey("gather-entity", key, "f"),
                202, checked, r -> r));
    }

    /** The problem a signature was answered with. */
    static Problem problem(CompletableFuture<Answer> answer) {
        CompletionException failed = assertThrows(CompletionException.class, () -> answer.orTimeout(30, TimeUnit.SECONDS).join());
        assertInstanceOf(ProblemException.class, failed.getCause(), String.valueOf(failed.getCause()));
        return ((ProblemException) failed.getCause()).problem();
    }

    /** A refusal of a signature whose key an earlier attempt may have used: says so, as the docs' rule does. */
    static void saysOnlyThisAttemptStoredNothing(Problem problem) {
        assertTrue(problem.detail().contains("this attempt stored nothing; an earlier attempt under the same "
                + "Idempotency-Key may have: retry with the same key"), problem.detail());
        assertEquals(1L, problem.any().get("retryAfterSeconds"), problem.toString());
    }

    HealthCheckResponse.Status health() {
        SignatureWritersHealth health = new SignatureWritersHealth();
        health.groupCommit = writer;
        return health.call().getStatus();
    }

    /**
     * With an hour's gather: a lone signature committed (the writer idle), then two that waited behind it committed
     * together; the second commit is held, and the writer is busy once it is released.
     */
    void busyAfterAGroupOfTwo() {
        start(Duration.ofHours(1), 500);
        sign();
        await().until(() -> committer.groups.size() == 1);
        sign();
        sign();
        committer.release(1);
        await().until(() -> committer.groups.size() == 2);
    }

    @Test
    void aBusyWriterWaitsForMoreBeforeItCommits() {
        start(Duration.ofHours(1), 3);
        sign();                                  // commit 1: alone, the writer was idle
        await().until(() -> committer.groups.size() == 1);
        sign();
        sign();                                  // both wait behind commit 1
        committer.release(1);
        await().until(() -> committer.groups.size() == 2); // commit 2: the two, no wait (the last group was one)
        sign();
        committer.release(2);                    // the last group held two: the writer is busy
        await().until(() -> writer.queued() == 0); // the writer holds the fourth, gathering
        sign();
        sign();                                  // without the gather these would be a commit of their own
        await().until(() -> committer.groups.size() == 3);
        assertEquals(List.of(1, 2, 3), committer.groups);
    }

    @Test
    void anIdleWritersLoneSignatureIsCommittedWithoutWaiting() {
        start(Duration.ofHours(1), 500);
        CompletableFuture<Answer> lone = sign();
        committer.release(1);
        assertEquals(202, lone.orTimeout(30, TimeUnit.SECONDS).join().status()); // an hour's gather would hold it an hour
        assertEquals(List.of(1), committer.groups);
    }

    /**
     * After a group of two the writer is busy; a signature that arrives once it has found the queue empty and waits
     * for one is committed at once (a review of this change: it waited the whole gather, up to 199 ms after a group).
     */
    @Test
    void aSignatureThatFindsTheWriterWaitingIsCommittedAtOnceThoughItsLastGroupWasTwo() {
        busyAfterAGroupOfTwo();
        int waits = writer.idleWaits.get();
        committer.release(2);
        await().until(() -> writer.idleWaits.get() > waits); // it found nothing queued, and waits for a first
        CompletableFuture<Answer> lone = sign();
        committer.release(3);                    // an hour's gather would hold it an hour
        assertEquals(202, lone.orTimeout(30, TimeUnit.SECONDS).join().status());
        assertEquals(List.of(1, 2, 1), committer.groups);
    }

    @Test
    void anInterruptDuringTheGatherStillAnswersWhatWasGathered() {
        busyAfterAGroupOfTwo();
        CompletableFuture<Answer> gathered = sign();
        committer.release(2);                    // the last group held two: busy
        await().until(() -> writer.queued() == 0);
        writer.threads.get(0).interrupt();
        committer.release(3);
        assertEquals(202, gathered.orTimeout(30, TimeUnit.SECONDS).join().status());
        assertEquals(3, committer.groups.size());
        assertFalse(gathered.isCompletedExceptionally());
    }

    /**
     * An interrupt while the writer waited for a first signature ended it, silently, and nothing replaced it: every
     * later signature queued and was never answered (a read-only review, 6 December 2026). It is noted and the writer
     * goes on.
     */
    @Test
    void anInterruptWhileIdleDoesNotEndTheWriter() {
        start(Duration.ofHours(1), 500);
        int waits = writer.idleWaits.get();
        await().until(() -> writer.idleWaits.get() > waits); // it waits for a first signature
        Thread thread = writer.threads.get(0);
        thread.interrupt();
        // the interrupt taken (the flag cleared, the writer waiting again), or the writer ended: a signature sent
        // before that could be taken by the poll the interrupt raced with, and prove nothing
        await().until(() -> thread.getState() == Thread.State.TERMINATED
                || thread.getState() == Thread.State.TIMED_WAITING && !thread.isInterrupted());
        CompletableFuture<Answer> after = sign();
        committer.release(1);
        assertEquals(202, after.orTimeout(30, TimeUnit.SECONDS).join().status(), "answered after the interrupt");
        assertTrue(writer.threads.get(0).isAlive());
        assertEquals(1, writer.writersAlive());
        assertEquals(HealthCheckResponse.Status.UP, health());
    }

    /** An Error whose very logging fails: thrown from the writer's catch, it ended the writer (the same review). */
    static final class Unloggable extends Error {
        Unloggable() {
            super(null, null, false, false);
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            throw new Unloggable();
        }
    }

    @Test
    void aGroupWhoseFailureCannotEvenBeLoggedIsAnsweredAndTheWriterGoesOn() {
        committer = new RecordingCommitter() {
            boolean thrown;

            @Override
            public <C, R> List<Outcome> commit(List<Member<C, R>> members, Writer<C, R> writer) throws WriteFailed {
                if (!thrown) {
                    thrown = true;
                    throw new Unloggable();
                }
                return super.commit(members, writer);
            }
        };
        start(Duration.ofHours(1), 500);
        CompletableFuture<Answer> failed = sign("unloggable");
        assertEquals(500, problem(failed).status(), "answered: may or may not be stored");
        CompletableFuture<Answer> after = sign();
        committer.release(1);
        assertEquals(202, after.orTimeout(30, TimeUnit.SECONDS).join().status());
        assertEquals(1, writer.writersAlive());
    }

    /**
     * With no writer left, a signature queued for ever (submit looked only at whether the service ran), and readiness
     * stayed up. Refused at once instead, and the instance is not ready. No writer started stands for every writer
     * ended: the same count.
     */
    @Test
    void withNoWriterLeftASignatureIsRefusedAtOnceAndTheInstanceIsNotReady() {
        start(Duration.ofHours(1), 500, 0, 100);
        ProblemException keyed = assertThrows(ProblemException.class, () -> sign("no-writer"));
        assertEquals(503, keyed.problem().status());
        assertTrue(keyed.problem().type().endsWith("/overloaded"), keyed.problem().type());
        saysOnlyThisAttemptStoredNothing(keyed.problem());
        ProblemException unkeyed = assertThrows(ProblemException.class, this::sign);
        assertTrue(unkeyed.problem().detail().contains("nothing was stored"), unkeyed.problem().detail());
        assertEquals(0, writer.waiting("gather-entity"), "nothing waits");
        assertEquals(HealthCheckResponse.Status.DOWN, health());
    }

    /**
     * A full queue refuses without looking at the key (a flood is no time for reads): true of this attempt, and a keyed
     * one is told so, not that nothing under its key was stored.
     */
    @Test
    void aFullQueueTellsAKeyedSignatureOnlyThisAttemptStoredNothing() {
        start(Duration.ofHours(1), 500, 1, 1);
        sign();                                  // commit 1, held
        await().until(() -> committer.groups.size() == 1);
        sign();                                  // the queue's one place
        ProblemException keyed = assertThrows(ProblemException.class, () -> sign("queue-full"));
        assertEquals(503, keyed.problem().status());
        assertTrue(keyed.problem().type().endsWith("/overloaded"), keyed.problem().type());
        saysOnlyThisAttemptStoredNothing(keyed.problem());
        ProblemException unkeyed = assertThrows(ProblemException.class, this::sign);
        assertFalse(unkeyed.problem().detail().contains("earlier attempt"), unkeyed.problem().detail());
    }

    /** The same for the pause after the database was found unreachable: nothing tried, the key not looked at. */
    @Test
    void thePauseAfterAnOutageTellsAKeyedSignatureOnlyThisAttemptStoredNothing() {
        committer = new RecordingCommitter() {
            @Override
            public <C, R> List<Outcome> commit(List<Member<C, R>> members, Writer<C, R> writer) throws WriteFailed {
                groups.add(members.size());
                throw new WriteFailed(new DatabaseProblems.Failure("08006"), false); // a lost connection
            }
        };
        writer.unavailablePauseNanos = TimeUnit.HOURS.toNanos(1); // the pause outlasts the test, however slow
        start(Duration.ofHours(1), 500);
        Problem first = problem(sign("outage"));
        assertTrue(first.type().endsWith("/database-unavailable"), first.type());
        saysOnlyThisAttemptStoredNothing(first);
        Problem paused = problem(sign("paused"));
        assertTrue(paused.type().endsWith("/database-unavailable"), paused.type());
        saysOnlyThisAttemptStoredNothing(paused);
        assertEquals(List.of(1), committer.groups, "the second was not tried");
        Problem unkeyed = problem(sign());
        assertTrue(unkeyed.detail().contains("not stored"), unkeyed.detail());
    }

    /**
     * A member whose key a round found held by a committed request, in a group a later round of which failed before
     * its commit: that request is stored, so not "not stored" but outcome-unknown (the same review); the others were
     * not stored by this attempt.
     */
    @Test
    void aMemberWhoseKeyWasFoundHeldIsNotToldNotStoredWhenALaterRoundFails() {
        committer = new RecordingCommitter() {
            @Override
            public <C, R> List<Outcome> commit(List<Member<C, R>> members, Writer<C, R> writer) throws WriteFailed {
                if (members.size() == 1) {
                    return super.commit(members, writer); // the first, held until released
                }
                groups.add(members.size());
                boolean[] held = new boolean[members.size()];
                held[1] = true;
                throw new WriteFailed(new DatabaseProblems.Failure("08006"), false).withKeysHeld(held);
            }
        };
        start(Duration.ofHours(1), 500);
        sign();                                  // commit 1, held: the next two wait and are one group
        await().until(() -> committer.groups.size() == 1);
        CompletableFuture<Answer> fresh = sign("fresh");
        CompletableFuture<Answer> retried = sign("retried");
        committer.release(1);
        Problem notStored = problem(fresh);
        assertTrue(notStored.type().endsWith("/database-unavailable"), notStored.type());
        Problem unknown = problem(retried);
        assertTrue(unknown.type().endsWith("/outcome-unknown"), unknown.type());
        assertTrue(unknown.detail().contains("same Idempotency-Key"), unknown.detail());
        assertEquals(1L, unknown.any().get("retryAfterSeconds"));
    }
}
