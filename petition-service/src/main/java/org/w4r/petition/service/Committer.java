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
import org.w4r.kit.problem.LostConnections;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.repository.IdempotencyRepository;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way petition-service writes. One transaction per call, for one request or a group of them (the signatures'
 * group commit): apply the commands, write their events to the outbox, then store each answer under its
 * Idempotency-Key (one row written per key), commit. A key another request holds shows at that last insert: the
 * transaction is rolled back and tried again without that request, which is answered with the held answer. Where it
 * failed decides the answer: a failure before the commit stored nothing; a failure of the commit itself may have been
 * committed all the same ({@link WriteFailed}).
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

    @Inject
    LostConnections lostConnections;

    /** One request of a transaction: its key (null: none), the status of its success, its command, its answer's body. */
    public record Member<C, R>(IdempotencyKey key, int status, C command, Function<? super R, ?> answer) {
    }

    /** Writes the commands of one transaction together, one result each (signatures: in one round trip). */
    @FunctionalInterface
    public interface Writer<C, R> {
        List<R> write(UnitOfWork work, List<C> commands) throws SQLException;
    }

    /**
     * A request on its own: its command, checked now, in a transaction of its own; refused, the answer stored under
     * its key if there is one (a retry gets the first answer whatever changed since), else the refusal, kept under the
     * key ({@link IdempotencyService#earlierOr}).
     */
    public <R> Answer submit(IdempotencyKey key, int status, Supplier<Command<R>> check, Function<? super R, ?> answer) {
        Command<R> command;
        try {
            command = check.get();
        } catch (ProblemException refused) {
            return idempotency.earlierOr(key, refused);
        } catch (RuntimeException e) {
            // a check that reads the database and cannot: this attempt did nothing, but the kit's flat "nothing was
            // stored" would say so of the key's earlier attempts too (a read-only review, 6 December 2026)
            DatabaseProblems.Failure failure = DatabaseProblems.failure(e);
            if (key != null && failure != null && failure.unavailable()) {
                LOG.warnf("database unavailable (SQLSTATE %s) in a request's checks: nothing done", failure.sqlState());
                throw WriteFailed.notStored(WriteFailed.Subject.REQUEST, true);
            }
            throw e;
        }
        return commit(key, status, command, answer);
    }

    /** One checked command in a transaction of its own. */
    public <R> Answer commit(IdempotencyKey key, int status, Command<R> command, Function<? super R, ?> answer) {
        return commit(key, WriteFailed.Subject.REQUEST, status, command, answer);
    }

    /**
     * One command that takes no Idempotency-Key because done twice it takes effect once (an erasure, a moderation
     * decision, a retention run): its failures say so ({@link WriteFailed.Subject#REPEATABLE}).
     */
    public <R> Answer commitRepeatable(int status, Command<R> command, Function<? super R, ?> answer) {
        return commit(null, WriteFailed.Subject.REPEATABLE, status, command, answer);
    }

    private <R> Answer commit(IdempotencyKey key, WriteFailed.Subject subject, int status, Command<R> command,
                              Function<? super R, ?> answer) {
        List<Outcome> outcomes;
        try {
            outcomes = commit(List.of(new Member<>(key, status, command, answer)), Committer::applyEach);
        } catch (ProblemException refused) {
            // refused by what only the database knows (a correction below zero): kept under the key as a check's is
            return idempotency.earlierOr(key, refused);
        } catch (WriteFailed e) {
            if (e.inCommit()) {
                LOG.warnf("database connection lost during a commit (SQLSTATE %s): outcome unknown", e.sqlState());
            } else if (e.keyHeld(0)) {
                // its key proved held by a committed request, then a later round failed: that request is stored
                LOG.warnf("database failed (SQLSTATE %s) after an Idempotency-Key was found held: outcome unknown",
                        e.sqlState());
                throw WriteFailed.heldAnswerUnread();
            } else if (e.unavailable()) {
                LOG.warnf("database unavailable (SQLSTATE %s): a request was refused, nothing stored", e.sqlState());
            }
            throw e.problem(subject, key != null);
        }
        return outcomes.get(0).get();
    }

    /**
     * The members' commands in one transaction, each with exactly the effect a transaction of its own would have
     * had; tried again after a deadlock or a lost connection, never after the commit was sent. A member whose key
     * another request holds writes nothing and is answered, after the commit, with that request's answer.
     */
    public <C, R> List<Outcome> commit(List<Member<C, R>> members, Writer<C, R> writer) throws WriteFailed {
        // a key twice in one group: the second is answered with the first's answer
        boolean[] taken = new boolean[members.size()];
        Set<String> seen = new HashSet<>();
        for (int m = 0; m < members.size(); m++) {
            IdempotencyKey key = members.get(m).key();
            taken[m] = key != null && !seen.add(key.principal() + '\n' + key.key());
        }
        boolean[] repeated = taken.clone(); // taken for a key earlier in the group, not for one found held
        // each round that meets a held key takes at least one more member out, so this ends within members + 1 rounds
        for (int attempt = 1, round = 0; ; ) {
            try {
                List<Outcome> outcomes = once(members, writer, taken);
                if (outcomes != null) {
                    return outcomes;
                }
                if (++round > members.size()) {
                    throw new IllegalStateException("held Idempotency-Keys found in more rounds than members");
                }
            } catch (WriteFailed e) {
                lostConnections.after(e.failure()); // the idle connections went the same way: not for the retry
                if (!e.worthRetrying(attempt++)) {
                    throw round == 0 ? e : withKeysHeld(e, members, taken, repeated);
                }
            }
        }
    }

    /**
     * The failure of a round after one that found keys held by committed requests, saying which members those are
     * (a key repeated in the group too): without it they were answered "not stored" of a stored request (a read-only
     * review, 6 December 2026). Only after a round that met a held key, so never on the common path.
     */
    private static <C, R> WriteFailed withKeysHeld(WriteFailed e, List<Member<C, R>> members, boolean[] taken,
                                                   boolean[] repeated) {
        Set<String> held = new HashSet<>();
        for (int m = 0; m < members.size(); m++) {
            if (taken[m] && !repeated[m]) {
                held.add(members.get(m).key().principal() + '\n' + members.get(m).key().key());
            }
        }
        boolean[] mask = new boolean[members.size()];
        for (int m = 0; m < members.size(); m++) {
            IdempotencyKey key = members.get(m).key();
            mask[m] = key != null && held.contains(key.principal() + '\n' + key.key());
        }
        return e.withKeysHeld(mask);
    }

    private static <R> List<R> applyEach(UnitOfWork work, List<Command<R>> commands) throws SQLException {
        List<R> results = new ArrayList<>(commands.size());
        for (Command<R> command : commands) {
            results.add(command.apply(work));
        }
        return results;
    }

    /**
     * One transaction for the members not {@code taken}; null, rolled back, when a key proved to be held by another
     * request (it is then marked in {@code taken}).
     */
    private <C, R> List<Outcome> once(List<Member<C, R>> members, Writer<C, R> writer, boolean[] taken)
            throws WriteFailed {
        begin();
        List<String> bodies = new ArrayList<>();
        try {
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
            em.flush(); // the commands' entities fail here, not in the commit, where their failure would be ambiguous
            List<IdempotencyRepository.Kept> kept = new ArrayList<>();
            List<Integer> keptFor = new ArrayList<>();
            int next = 0;
            for (int m = 0; m < members.size(); m++) {
                Member<C, R> member = members.get(m);
                String body = taken[m] ? null : json(member.answer().apply(results.get(next++)));
                bodies.add(body);
                if (body != null && member.key() != null) {
                    kept.add(new IdempotencyRepository.Kept(member.key().principal(), member.key().key(),
                            member.key().fingerprint(), member.status(), body));
                    keptFor.add(m);
                }
            }
            // last, so a key is stored once with its answer; a held one undoes the round (its effect must not stay)
            boolean[] held = keys.keep(kept);
            boolean retry = false;
            for (int k = 0; k < held.length; k++) {
                if (held[k]) {
                    taken[keptFor.get(k)] = true;
                    retry = true;
                }
            }
            if (retry) {
                rollback();
                return null;
            }
        } catch (ProblemException e) {
            rollback(); // refused by what only the database knows (a correction below zero): nothing was written
            if (storedElsewhere(members, taken)) {
                return null; // the retry of a request already applied: its answer, not what applying it again says
            }
            throw e;
        } catch (SQLException | RuntimeException e) {
            rollback();
            DatabaseProblems.Failure failure = DatabaseProblems.failure(e);
            if (failure == null) {
                throw (RuntimeException) e; // not the database: a bug, logged as one; nothing was committed
            }
            if (failure.constraint() && storedElsewhere(members, taken)) {
                return null; // the same: a retry whose effect is already there
            }
            throw new WriteFailed(failure, false, waitedOut(e));
        } catch (AssertionError e) {
            rollback();
            if (DatabaseProblems.lostInBatch(e) == null) {
                throw e;
            }
            throw new WriteFailed(DatabaseProblems.failure(e), false); // a lost connection, before the commit
        } catch (Error e) {
            // any other Error (a stack overflow, out of memory): the transaction must not stay on the thread, or every
            // later begin() of this writer fails and every later signature of the instance is a 500 (read-only review,
            // 6 December 2026)
            rollback();
            throw e;
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

    /**
     * After a round was refused: marks the members whose key already has an answer stored (the key is stored after the
     * effect, so a retry meets its own earlier effect before its key). False if there is none, or none can be read now.
     * Only for a round of one request: a group refused as a whole is written again in halves (GroupCommit) down to
     * the one refused, so its key is looked up once, not every key of every half.
     */
    private <C, R> boolean storedElsewhere(List<Member<C, R>> members, boolean[] taken) {
        int open = 0;
        for (boolean t : taken) {
            open += t ? 0 : 1;
        }
        if (open != 1) {
            return false;
        }
        boolean found = false;
        try {
            for (int m = 0; m < members.size(); m++) {
                IdempotencyKey key = members.get(m).key();
                if (!taken[m] && key != null && keys.find(key.principal(), key.key()).isPresent()) {
                    taken[m] = true;
                    found = true;
                }
            }
        } catch (SQLException e) {
            LOG.debugf("cannot look up Idempotency-Keys after a refusal (SQLSTATE %s)", e.getSQLState());
            return false;
        }
        return found;
    }

    /** The server gave no answer within the driver's socket timeout ({@code socketTimeout}, the kit's defaults). */
    private static boolean waitedOut(Throwable e) {
        for (int depth = 0; e != null && depth < 12; e = e.getCause() == e ? null : e.getCause(), depth++) {
            if (e instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
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
