package org.w4r.cases.rest;

import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.w4r.kit.problem.DatabaseProblems;
import org.w4r.kit.problem.LostConnections;
import org.w4r.kit.problem.Problem;

import java.sql.SQLException;
import java.util.Optional;

/**
 * What the database refused, as the caller's problem: a write that lost a race is a 409 to retry, a duplicate a 409,
 * a transaction PostgreSQL ended for a concurrent one (a deadlock, a serialization failure) the kit's 503
 * {@code database-conflict}, never a 500. Input is checked before it gets here ({@code Validation}); these are the
 * races the checks cannot see (two staff creating one id, a stale version). Logged by SQLSTATE only: PostgreSQL's
 * messages quote the values.
 */
public class PersistenceProblems {
    private static final Logger LOG = Logger.getLogger(PersistenceProblems.class);

    @Inject
    LostConnections lostConnections;

    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        return answer(e);
    }

    @ServerExceptionMapper
    public Response rollback(jakarta.transaction.RollbackException e) {
        return answer(e);
    }

    private Response answer(Exception e) {
        lostConnections.after(e);
        return classify(e).or(() -> DatabaseProblems.unreachable(e)).orElseGet(() -> {
            LOG.errorf("database error (a bug): %s, SQLSTATE %s", e.getClass().getName(), sqlState(e).orElse("none"));
            return Problem.of(500, "internal", "Internal error", "an unexpected error occurred; it has been logged");
        }).toResponse();
    }

    static Optional<Problem> classify(Throwable e) {
        // A deadlock (40P01) or a serialization failure (40001), whatever Hibernate wrapped it in, is no lost race to
        // read again: PostgreSQL ended this transaction for a concurrent one, nothing was stored, and the same request
        // again passes. The kit answers it (503 database-conflict, Retry-After), as it answers the same failure met in
        // the outbox's insert; this class answered 409 concurrent-change, two answers to one failure and not the
        // documented one (a read-only review, 6 December 2026).
        DatabaseProblems.Failure failure = DatabaseProblems.failure(e);
        if (failure != null && failure.transientFailure()) {
            return Optional.empty();
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return Optional.of(concurrentChange());
            }
        }
        Optional<String> state = sqlState(e);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        String s = state.get();
        if (s.equals("23505")) {
            return Optional.of("case_hold_open".equals(constraint(e).orElse(null))
                    ? Problem.of(409, "already-on-hold", "Already on hold", "the case was put on hold meanwhile")
                    : Problem.of(409, "duplicate-id", "Duplicate", "a record with this id exists already"));
        }
        if (s.equals("55P03")) {
            return Optional.of(concurrentChange());
        }
        if (s.equals("23503")) {
            return Optional.of(Problem.of(409, "conflict", "Conflict", "a record this change refers to does not exist"));
        }
        if (s.startsWith("22") || s.equals("23502") || s.equals("23514")) {
            return Optional.of(Problem.of(400, "bad-request", "Bad request", "a value is out of range or malformed"));
        }
        return Optional.empty();
    }

    private static Problem concurrentChange() {
        return Problem.of(409, "concurrent-change", "Concurrent change",
                "someone else changed this record at the same time; read it again and retry");
    }

    private static Optional<String> sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> constraint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PSQLException p) {
                ServerErrorMessage m = p.getServerErrorMessage();
                return Optional.ofNullable(m == null ? null : m.getConstraint());
            }
        }
        return Optional.empty();
    }
}
