package org.w4r.petition.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import org.jboss.logging.Logger;
import org.w4r.kit.audit.AuditTrail;
import org.w4r.kit.outbox.Outbox;
import org.w4r.kit.problem.DatabaseProblems;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.repository.IdempotencyRepository;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way petition-service writes. One transaction per call, for one request or a group of them (the signatures'
 * group commit): claim each Idempotency-Key, apply the commands, write their events to the outbox, store each answer
 * under its key, commit. Where it failed decides the answer: a failure before the commit stored nothing; a failure of
 * the commit itself may have been committed all the same ({@link WriteFailed}).
 */
@ApplicationScoped
public class Committer {
    private static final Logger LOG = Logger.getLogger(Committer.class);

    @Inject
    TransactionManager transactions;

    @Inject
    EntityManager em;

    /** The JSON of the HTTP layer, so a stored answer is what the resource would have written. */
    @Inject
    ObjectMapper json;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    @Inject
    IdempotencyRepository keys;

    @Inject
    IdempotencyService idempotency;

    /** One request of a transaction: its key (null: none), the status of its success, its command, its answer's body. */
    public record Member<C, R>(IdempotencyKey key, int status, C command, Function<? super R, ?> answer) {
    }

    /** Writes the commands of one transaction together, one result each (signatures: in one round trip). */
    @FunctionalInterface
    public interface Writer<C, R> {
        List<R> write(UnitOfWork work, List<C> commands) throws SQLException;
    }

    /**
     * A request on its own: the answer stored under its key if there is one (before any check: a retry gets the first
     * answer whatever changed since), else its command, checked now, in a transaction of its own.
     */
    public <R> Answer submit(IdempotencyKey key, int status, Supplier<Command<R>> check, Function<? super R, ?> answer) {
        Command<R> command;
        try {
            command = check.get();
        } catch (ProblemException refused) {
            return idempotency.earlierOr(key, refused);
        }
        return commit(key, status, command, answer);
    }

    /** One checked command in a transaction of its own. */
    public <R> Answer commit(IdempotencyKey key, int status, Command<R> command, Function<? super R, ?> answer) {
        List<Outcome> outcomes;
        try {
            outcomes = commit(List.of(new Member<>(key, status, command, answer)), Committer::applyEach);
        } catch (WriteFailed e) {
            if (e.inCommit()) {
                LOG.warnf("database connection lost during a commit (SQLSTATE %s): outcome unknown", e.sqlState());
            } else if (e.unavailable()) {
                LOG.warnf("database unavailable (SQLSTATE %s): a request was refused, nothing stored", e.sqlState());
            }
            throw e.problem(WriteFailed.Subject.REQUEST, key != null);
        }
        return outcomes.get(0).get();
    }

    /**
     * The members' commands in one transaction, each with exactly the effect a transaction of its own would have
     * had; tried again after a deadlock or a lost connection, never after the commit was sent. A member whose key
     * another request holds writes nothing and is answered, after the commit, with that request's answer.
     */
    public <C, R> List<Outcome> commit(List<Member<C, R>> members, Writer<C, R> writer) throws WriteFailed {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(members, writer);
            } catch (WriteFailed e) {
                if (!e.worthRetrying(attempt)) {
                    throw e;
                }
            }
        }
    }

    private static <R> List<R> applyEach(UnitOfWork work, List<Command<R>> commands) throws SQLException {
        List<R> results = new ArrayList<>(commands.size());
        for (Command<R> command : commands) {
            results.add(command.apply(work));
        }
        return results;
    }

    private <C, R> List<Outcome> once(List<Member<C, R>> members, Writer<C, R> writer) throws WriteFailed {
        begin();
        boolean[] taken;
        List<String> bodies = new ArrayList<>();
        try {
            taken = keys.claim(members.stream().map(m -> m.key() == null ? null : new IdempotencyRepository.Claim(
                    m.key().principal(), m.key().key(), m.key().fingerprint())).toList());
            List<C> commands = new ArrayList<>();
            for (int m = 0; m < members.size(); m++) {
                if (!taken[m]) {
                    commands.add(members.get(m).command());
                }
            }
            UnitOfWork work = new UnitOfWork();
            List<R> results = commands.isEmpty() ? List.of() : writer.write(work, commands);
            outbox.addAll(work.events());
            audit.recordAll(work.audits());
            List<IdempotencyRepository.Kept> kept = new ArrayList<>();
            int next = 0;
            for (int m = 0; m < members.size(); m++) {
                Member<C, R> member = members.get(m);
                String body = taken[m] ? null : json(member.answer().apply(results.get(next++)));
                bodies.add(body);
                if (body != null && member.key() != null) {
                    kept.add(new IdempotencyRepository.Kept(member.key().principal(), member.key().key(), member.status(), body));
                }
            }
            keys.keep(kept);
            em.flush(); // the commands' entities fail here, not in the commit, where their failure would be ambiguous
        } catch (ProblemException e) {
            rollback(); // refused by what only the database knows (a correction below zero): nothing was written
            throw e;
        } catch (SQLException | RuntimeException e) {
            rollback();
            DatabaseProblems.Failure failure = DatabaseProblems.failure(e);
            if (failure == null) {
                throw (RuntimeException) e; // not the database: a bug, logged as one; nothing was committed
            }
            throw new WriteFailed(failure, false);
        } catch (AssertionError e) {
            // PgJDBC asserts (under -ea) where a batch meets a dropped connection; still before the commit
            rollback();
            throw new WriteFailed(new DatabaseProblems.Failure("08006"), false);
        }
        commit();
        List<Outcome> outcomes = new ArrayList<>(members.size());
        for (int m = 0; m < members.size(); m++) {
            Member<C, R> member = members.get(m);
            outcomes.add(taken[m] ? idempotency.heldAnswer(member.key())
                    : new Outcome(new Answer(member.status(), bodies.get(m), false), null));
        }
        return outcomes;
    }

    private String json(Object answer) {
        try {
            return json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer as JSON", e);
        }
    }

    private void begin() {
        try {
            transactions.begin();
        } catch (NotSupportedException | SystemException e) {
            throw new IllegalStateException("cannot begin a transaction", e);
        }
    }

    private void commit() throws WriteFailed {
        try {
            transactions.commit();
        } catch (Exception | AssertionError e) {
            forget();
            throw new WriteFailed(DatabaseProblems.failure(e), true);
        }
    }

    private void rollback() {
        try {
            transactions.rollback(); // a lost connection rolls back on its own
        } catch (Exception e) {
            LOG.debugf("rollback failed (%s)", e.getClass().getSimpleName());
            forget();
        }
    }

    /** This thread's next transaction must not inherit one whose end failed. */
    private void forget() {
        try {
            if (transactions.getTransaction() != null) {
                transactions.suspend();
            }
        } catch (SystemException e) {
            LOG.debugf("cannot let go of a failed transaction (%s)", e.getClass().getSimpleName());
        }
    }
}
