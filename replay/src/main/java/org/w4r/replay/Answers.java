package org.w4r.replay;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How a run's requests were answered, by {@link AnswerClass}: first answers, and apart from them how each request
 * that was retried ended (its last answer), how many retries that took, and how many of those that ended 2xx were
 * replays of an answer already stored (the action had been stored although its first answer did not say so). Also
 * how many sends found their kept-alive connection closed by the server before any byte of an answer and went out
 * again on a new one ({@link HttpConnection#exchange}): the server never had those, so the answer on the new
 * connection is the send's answer; they are counted so that a run where it happened often shows it.
 */
final class Answers {
    private static final int CLASSES = AnswerClass.values().length;
    private final AtomicLongArray first = new AtomicLongArray(CLASSES);
    private final AtomicLongArray afterRetries = new AtomicLongArray(CLASSES);
    private final AtomicLong retries = new AtomicLong(), replayed = new AtomicLong(), resent = new AtomicLong();

    void answered(AnswerClass c) {
        first.incrementAndGet(c.ordinal());
    }

    /** A retried request's end: the class of its last answer, after {@code attempts} retries. */
    void retried(AnswerClass last, boolean replayedAnswer, int attempts) {
        afterRetries.incrementAndGet(last.ordinal());
        retries.addAndGet(attempts);
        if (last == AnswerClass.OK && replayedAnswer) {
            replayed.incrementAndGet();
        }
    }

    /** A send that went out again on a new connection, its kept-alive one found closed before any answer. */
    void resent() {
        resent.incrementAndGet();
    }

    long resentOnStaleConnection() {
        return resent.get();
    }

    long first(AnswerClass c) {
        return first.get(c.ordinal());
    }

    long afterRetries(AnswerClass c) {
        return afterRetries.get(c.ordinal());
    }

    /** Requests sent again at least once. */
    long retriedRequests() {
        long n = 0;
        for (int i = 0; i < CLASSES; i++) {
            n += afterRetries.get(i);
        }
        return n;
    }

    long retries() {
        return retries.get();
    }

    long replayed() {
        return replayed.get();
    }

    /** Actions the site was told are stored: a 2xx first, or a 2xx to a retry. */
    long acknowledged() {
        return first(AnswerClass.OK) + afterRetries(AnswerClass.OK);
    }
}
