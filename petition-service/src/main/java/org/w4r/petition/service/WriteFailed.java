package org.w4r.petition.service;

import org.jboss.logging.Logger;
import org.w4r.kit.problem.DatabaseProblems;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

/**
 * The database failed a {@link Committer}'s transaction: before the commit (it rolled back: nothing was stored) or in
 * the commit itself (PostgreSQL may have committed: the outcome is unknown). Classified by SQLSTATE only
 * ({@link DatabaseProblems.Failure}); only a failure before the commit may ever be answered "not stored".
 */
public final class WriteFailed extends Exception {
    private static final Logger LOG = Logger.getLogger(WriteFailed.class);

    /** What was being written, in the words of the answer. */
    public enum Subject {
        SIGNATURE, REQUEST,
        /**
         * A request that takes no Idempotency-Key because done twice it takes effect once: an erasure, a moderation
         * decision, a retention run. Its outcome-unknown told the caller to send a key, which it ignores (a read-only
         * review, 8 December 2026).
         */
        REPEATABLE
    }

    /**
     * How a refusal that tried nothing, or whose attempt rolled back, reads for a request with an Idempotency-Key: true
     * of this attempt only. An earlier attempt under the same key may have been stored (its answer lost on the way,
     * the caller retrying), and nothing here looked (a read-only review, 6 December 2026): a keyed retry told "not
     * stored" flatly of a stored action stops retrying, or sends it again under a new key, counted twice.
     */
    static final String THIS_ATTEMPT = "this attempt stored nothing; an earlier attempt under the same Idempotency-Key "
            + "may have: retry with the same key";

    private final transient DatabaseProblems.Failure failure;
    private final boolean inCommit;
    private final boolean waitedOut;
    /** Per member of the failed transaction: its key was found held by a committed earlier request; null: none. */
    private final boolean[] keysHeld;

    WriteFailed(DatabaseProblems.Failure failure, boolean inCommit) {
        this(failure, inCommit, false);
    }

    /**
     * {@code waitedOut}: the server did not answer within the driver's socket timeout (a database that fell silent);
     * trying again would most likely wait as long once more.
     */
    WriteFailed(DatabaseProblems.Failure failure, boolean inCommit, boolean waitedOut) {
        this(failure, inCommit, waitedOut, null);
    }

    private WriteFailed(DatabaseProblems.Failure failure, boolean inCommit, boolean waitedOut, boolean[] keysHeld) {
        super(null, null, false, false);
        this.failure = failure;
        this.inCommit = inCommit;
        this.waitedOut = waitedOut;
        this.keysHeld = keysHeld;
    }

    /**
     * The same failure, saying which members' keys an earlier round found held by committed requests: a round that
     * fails after such a round dropped that knowledge, and those members were told "not stored" of a stored request
     * (a read-only review, 6 December 2026).
     */
    WriteFailed withKeysHeld(boolean[] held) {
        return new WriteFailed(failure, inCommit, waitedOut, held.clone());
    }

    /** Whether member {@code m}'s key was found held by a committed earlier request before this failure. */
    public boolean keyHeld(int m) {
        return keysHeld != null && keysHeld[m];
    }

    /** The SQLSTATE's classification; null for a commit the transaction manager failed without one. */
    public DatabaseProblems.Failure failure() {
        return failure;
    }

    public boolean inCommit() {
        return inCommit;
    }

    public String sqlState() {
        return failure == null ? "none" : failure.sqlState();
    }

    /** The database could not be reached before the commit: nothing was stored. */
    public boolean unavailable() {
        return !inCommit && failure.unavailable();
    }

    /**
     * Whether attempt {@code attempt} may be followed by another: a deadlock or serialization failure twice more; a
     * lost connection once more, as a pooled connection may have died with the last outage. Never once the commit
     * was sent, nor after a whole socket timeout without an answer: the caller has waited a minute already, and the
     * pool's other connections are most likely as dead (they are being dropped, but on the pool's own thread).
     */
    boolean worthRetrying(int attempt) {
        if (inCommit || waitedOut) {
            return false;
        }
        return failure.transientFailure() && attempt < 3 || failure.unavailable() && attempt < 2;
    }

    /** The answer for a request this failure stopped. */
    public ProblemException problem(Subject subject, boolean keyed) {
        if (inCommit) {
            return outcomeUnknown(subject, keyed);
        }
        boolean signature = subject == Subject.SIGNATURE;
        if (failure.unavailable()) {
            return notStored(subject, keyed);
        }
        if (failure.transientFailure()) {
            // PostgreSQL ended the transaction for a concurrent one on every try (a deadlock, a serialization failure):
            // it rolled back, and the same request again may pass. It was a 500 "internal" (read-only review,
            // 6 December 2026), which tells a caller not to retry; the kit answers the same elsewhere
            return new ProblemException(Problem.of(503, "database-conflict", "Concurrent change", keyed
                    ? "the database refused this " + (signature ? "signature" : "request") + " because of a concurrent "
                    + "change; " + THIS_ATTEMPT
                    : signature
                    ? "the database refused this signature because of a concurrent change; it was not stored: send it again"
                    : "the database refused this request because of a concurrent change; nothing was stored: send it again")
                    .retryAfter(1));
        }
        if (failure.data()) {
            return new ProblemException(Problem.of(400, "unstorable-value", "Value cannot be stored", signature
                    ? "the database refused a value of this signature (SQLSTATE " + failure.sqlState()
                    + "); it was not stored: change it before sending it again"
                    : "the database refused a value of this request (SQLSTATE " + failure.sqlState()
                    + "); nothing was stored: change it before sending it again").with("sqlState", failure.sqlState()));
        }
        if (failure.constraint()) {
            return new ProblemException(Problem.of(422, "refused-by-database", signature ? "Signature refused" : "Request refused",
                    signature ? "the database refused this signature (SQLSTATE " + failure.sqlState() + "); it was not stored"
                            : "the database refused this request (SQLSTATE " + failure.sqlState() + "); nothing was stored")
                    .with("sqlState", failure.sqlState()));
        }
        LOG.errorf("a write failed in the database (SQLSTATE %s, %s)", failure.sqlState(), failure.name());
        return new ProblemException(Problem.of(500, "internal", "Internal error", signature
                ? "the signature was not stored; the error has been logged"
                : "the request failed in the database; nothing was stored; the error has been logged"));
    }

    /** The database could not be reached, or nothing was tried for a second after it could not: not stored. */
    static ProblemException notStored(Subject subject, boolean keyed) {
        if (keyed) {
            return new ProblemException(Problem.of(503, "database-unavailable", subject == Subject.SIGNATURE
                    ? "Cannot store the signature now" : "Database unavailable",
                    "the database cannot be reached now; " + THIS_ATTEMPT + " (you get its answer, or it is stored now)")
                    .retryAfter(1));
        }
        return new ProblemException((subject == Subject.SIGNATURE
                ? Problem.of(503, "database-unavailable", "Cannot store the signature now",
                "the signature was not stored; it is safe to retry")
                : Problem.of(503, "database-unavailable", "Database unavailable", "nothing was stored; it is safe to retry"))
                .retryAfter(1));
    }

    /**
     * A request whose key proved held by a committed earlier request, whose answer cannot be read now (the database
     * failed the read, or a later round of the group). That request is stored, its answer is not known here: {@code
     * outcome-unknown}, to be settled with the same key. It was {@code 503 database-unavailable}, "not stored" (a
     * read-only review, 6 December 2026).
     */
    static ProblemException heldAnswerUnread() {
        return new ProblemException(Problem.of(503, "outcome-unknown", "Outcome unknown",
                "an earlier request under this Idempotency-Key is stored with its answer, which cannot be read now: "
                        + "retry with the same Idempotency-Key to get it").retryAfter(1));
    }

    /**
     * The commit was sent and no answer came back: PostgreSQL may have committed. Saying "not stored" here made a
     * careful caller send a counted action again.
     */
    static ProblemException outcomeUnknown(Subject subject, boolean keyed) {
        String detail;
        if (subject == Subject.SIGNATURE) {
            detail = keyed
                    ? "the connection to the database was lost during the commit: the signature may or may not be stored. "
                    + "Retry with the same Idempotency-Key: you get the stored answer, or it is stored now"
                    : "the connection to the database was lost during the commit: the signature may or may not be stored. "
                    + "Send it again (a signer counts once per case: if it was stored, the answer is 'duplicate'); "
                    + "send an Idempotency-Key to get the stored answer instead";
        } else if (subject == Subject.REPEATABLE) {
            detail = "the connection to the database was lost during the commit: the request may or may not have "
                    + "taken effect. Sending it again is safe: done twice, it takes effect once (this endpoint takes no "
                    + "Idempotency-Key)";
        } else {
            detail = keyed
                    ? "the connection to the database was lost during the commit: the request may or may not have "
                    + "taken effect. Retry with the same Idempotency-Key: you get the stored answer, or it takes effect now"
                    : "the connection to the database was lost: the request may or may not have taken effect, and "
                    + "sending it again may count it twice. Send an Idempotency-Key to be able to retry safely";
        }
        return new ProblemException(Problem.of(503, "outcome-unknown", "Outcome unknown", detail).retryAfter(1));
    }
}
