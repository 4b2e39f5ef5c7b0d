package org.w4r.kit.problem;

import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * The answer to a write the database could not complete because it could not be reached: never a 500, and never "not
 * stored" when the commit may have happened.
 *
 * <p>Incident (issue 14): PostgreSQL stopped for 8 s under load, and staff writes (a hold, a handover) whose
 * connection was lost during the commit, or after it while the answer was being read, were answered 500 "an
 * unexpected error occurred" though they were stored. A caller reads a 5xx as "it failed"; the change was there.
 * <ul>
 * <li>{@code 503 database-unavailable}: the failure came from a statement, before any commit (the transaction
 * rolled back): nothing was stored, the same request can be sent again;</li>
 * <li>{@code 503 outcome-unknown}: the failure came from the commit (the transaction manager's commit exceptions in
 * the chain): PostgreSQL may have committed; the caller reads the record to learn which.</li>
 * </ul>
 * A write must therefore read whatever its answer needs before its commit: a read after it that fails would be
 * taken for a statement's failure and answered "not stored".
 */
public final class DatabaseProblems {
    private static final Logger LOG = Logger.getLogger(DatabaseProblems.class);

    /** Thrown by a transaction manager's commit (JTA, Narayana, Quarkus); matched by name: not every service has JTA. */
    private static final Set<String> COMMIT_FAILURES = Set.of(
            "jakarta.transaction.RollbackException",
            "jakarta.transaction.HeuristicMixedException",
            "jakarta.transaction.HeuristicRollbackException",
            "jakarta.transaction.SystemException",
            "javax.transaction.xa.XAException",
            "io.quarkus.narayana.jta.QuarkusTransactionException");

    private DatabaseProblems() {
    }

    /**
     * What a failed statement says about the database, by its SQLSTATE only: an SQLException's message can carry the
     * statement's values (PgJDBC's batch errors do), so it is never logged nor answered. {@code ""}: none given.
     */
    public record Failure(String sqlState) {
        /** No connection, a lost one, a server shutting down or out of resources. */
        public boolean unavailable() {
            return DatabaseProblems.unavailable(sqlState);
        }

        /**
         * The connection itself is gone (class 08, or the server shutting down or refusing: 57P01-57P03), so those
         * opened at the same time may be too. Not a pool without a free connection, a cancelled statement or a
         * server out of resources: their connections are sound.
         */
        public boolean lostConnection() {
            return sqlState.startsWith("08") || Set.of("57P01", "57P02", "57P03").contains(sqlState);
        }

        /** A deadlock or a serialization failure: the same transaction again may pass. */
        public boolean transientFailure() {
            return "40P01".equals(sqlState) || "40001".equals(sqlState);
        }

        /** A value PostgreSQL cannot store (class 22): the request's own. */
        public boolean data() {
            return sqlState.startsWith("22");
        }

        /** An integrity constraint (class 23) refused a row. */
        public boolean constraint() {
            return sqlState.startsWith("23");
        }

        public String name() {
            if (unavailable()) {
                return "database unavailable";
            }
            return transientFailure() ? "transient" : data() ? "data" : constraint() ? "constraint" : "other";
        }
    }

    /** The failure of the first SQLException in {@code e}'s chain (causes and suppressed); null if there is none. */
    public static Failure failure(Throwable e) {
        String state = sqlState(e, 0);
        return state == null ? null : new Failure(state);
    }

    /**
     * A 503 if the database could not be reached while doing {@code e}'s work, or refused the transaction for a
     * concurrent one; empty for anything else.
     */
    public static Optional<Problem> unreachable(Throwable e) {
        String state = sqlState(e, 0);
        boolean commit = inCommit(e, 0);
        if (commit && (state == null || unavailable(state))) {
            // the transaction manager's exception for a failed commit does not always keep the driver's
            LOG.warnf("database connection lost during a commit (SQLSTATE %s): outcome unknown", state == null ? "none" : state);
            return Optional.of(outcomeUnknown());
        }
        if (state != null && new Failure(state).transientFailure()) {
            // PostgreSQL chose this transaction to end a deadlock (40P01) or a serialization failure (40001): it said so,
            // so it rolled back, commit or not. Two staff writes taking the same rows in opposite orders met this way
            // (a handover and an erasure in delivery-service, read-only review, 6 December 2026) and were answered 500
            // internal; it is no bug of the caller's nor a lost write: the same request again passes
            LOG.warnf("transaction refused by the database (SQLSTATE %s): nothing stored, the caller may retry", state);
            return Optional.of(Problem.of(503, "database-conflict", "Concurrent change",
                    "the database refused this change because of a concurrent one; nothing was stored: send the same "
                            + "request again").retryAfter(1));
        }
        if (state == null || !unavailable(state)) {
            return Optional.empty();
        }
        LOG.warnf("database unavailable (SQLSTATE %s): a request was refused before its commit, nothing stored",
                state == null ? "none" : state);
        return Optional.of(Problem.of(503, "database-unavailable", "Database unavailable",
                "the database cannot be reached; nothing was stored: send the same request again shortly")
                .retryAfter(1));
    }

    public static Problem outcomeUnknown() {
        return Problem.of(503, "outcome-unknown", "Outcome unknown",
                "the connection to the database was lost during the commit: the change may or may not have been made. "
                        + "Read the record to see which before sending it again").retryAfter(1);
    }

    /**
     * No connection, a lost one, a server shutting down or out of resources; {@code ""} is Agroal's acquisition
     * timeout (no SQLSTATE); 99999 is PgJDBC's "something unusual", seen opening a connection to a server that does
     * not answer.
     */
    static boolean unavailable(String state) {
        if (state.isEmpty() || "99999".equals(state)) {
            return true;
        }
        return switch (state.length() < 2 ? "" : state.substring(0, 2)) {
            case "08", "53", "57", "58" -> true;
            default -> false;
        };
    }

    /**
     * The SQL error a JDBC batch should have thrown when PgJDBC threw an {@link AssertionError} instead; null for any
     * other throwable.
     *
     * <p>Incident (CI, stop 27): case-service's DatabaseOutageTest answered a case creation 500 "AssertionError:
     * pgStatement.getConnection().getAutoCommit() should not throw". PgJDBC (42.7.13, pgjdbc/pgjdbc#1458, fixed by
     * #4187 in a later release) asserts in {@code BatchResultHandler} when the connection is lost in the middle of an
     * {@code executeBatch}; under {@code -ea} (every test JVM) that is an Error no mapper, retry or consumer expected,
     * and the driver's own failure is lost with it. It is a lost connection before any commit: SQLSTATE 08006.
     */
    public static SQLException lostInBatch(Throwable e) {
        if (!(e instanceof AssertionError)) {
            return null;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("org.postgresql.jdbc.BatchResultHandler")) {
                return new java.sql.SQLRecoverableException("connection lost during a batch (PgJDBC asserted)", "08006", e);
            }
        }
        return null;
    }

    // Narayana keeps the driver's exception as a suppressed one, not as the cause: both are walked
    private static String sqlState(Throwable e, int depth) {
        if (e == null || depth > 12) {
            return null;
        }
        if (e instanceof SQLException sql) {
            return sql.getSQLState() == null ? "" : sql.getSQLState();
        }
        if (lostInBatch(e) != null) {
            return "08006";
        }
        String found = sqlState(e.getCause() == e ? null : e.getCause(), depth + 1);
        for (int i = 0; found == null && i < e.getSuppressed().length; i++) {
            found = sqlState(e.getSuppressed()[i], depth + 1);
        }
        return found;
    }

    private static boolean inCommit(Throwable e, int depth) {
        if (e == null || depth > 12) {
            return false;
        }
        if (COMMIT_FAILURES.contains(e.getClass().getName())) {
            return true;
        }
        if (inCommit(e.getCause() == e ? null : e.getCause(), depth + 1)) {
            return true;
        }
        for (Throwable suppressed : e.getSuppressed()) {
            if (inCommit(suppressed, depth + 1)) {
                return true;
            }
        }
        return false;
    }
}
