package org.w4r.petition.service;

import jakarta.enterprise.inject.Vetoed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    static final class RecordingCommitter extends Committer {
        final List<Integer> groups = new CopyOnWriteArrayList<>();
        final List<CountDownLatch> releases = new CopyOnWriteArrayList<>();

        @Override
        public <C, R> List<Outcome> commit(List<Member<C, R>> members, Writer<C, R> writer) {
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

    final RecordingCommitter committer = new RecordingCommitter();
    final GroupCommit writer = new GroupCommit();

    GroupCommit start(Duration gather, int groupSize) {
        writer.committer = committer;
        writer.signatures = new SignatureService(); // its writeAll is handed to the committer, never called here
        writer.settings = new GroupCommit.Settings() {
            public int groupSize() { return groupSize; }
            public int writers() { return 1; }
            public Duration gather() { return gather; }
            public int queueSize() { return 100; }
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
        SignatureService.Checked checked = new SignatureService.Checked("gather-entity", Map.of(), null, null,
                null, null, false, false, null, null, null);
        return writer.submit(new Committer.Member<>(null, 202, checked, r -> r));
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
}
