package org.w4r.petition.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.events.ActionRecorded;
import org.w4r.events.Events;
import org.w4r.events.Topics;
import org.w4r.kit.outbox.OutboxRelay;
import org.w4r.kit.outbox.OutboxRows;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.tracing.TraceContext;
import org.w4r.petition.repository.SignatureRepository;
import org.w4r.petition.rest.ActionResults;
import org.w4r.petition.rest.ActionResults.Result;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for single signatures. Every signature must be durable in PostgreSQL before its 202, and one
 * transaction per request made the commit (and the JTA, Hibernate and round-trip overhead around it) the cost of
 * each signature. Here writer threads take every signature waiting and write them in one JDBC transaction:
 * idempotency keys, signatures and outbox rows each in one batched round trip, then one commit, then every answer.
 * The effect for each request is exactly what a transaction of its own would have had; a group that fails is
 * retried one request at a time, so one request's failure is never another's.
 */
@ApplicationScoped
public class SignatureCommitter {
    private static final Logger LOG = Logger.getLogger(SignatureCommitter.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Inject
    SignatureRepository signatures;

    @Inject
    Idempotency idempotency;

    @ConfigProperty(name = "w4r.signatures.group-size", defaultValue = "500")
    int groupSize;

    @ConfigProperty(name = "w4r.signatures.writers", defaultValue = "2")
    int writers;

    @ConfigProperty(name = "w4r.signatures.queue-size", defaultValue = "20000")
    int queueSize;

    /**
     * A checked signature waiting for its commit. {@code key} is null without an Idempotency-Key. {@code trace} is the
     * request's trace context, taken on the request's thread: the writer thread that stores the outbox row has none.
     */
    record Pending(String entityId, SignatureService.Checked checked, String emailHmac, String key, String fingerprint,
                   TraceContext trace, CompletableFuture<Response> answer) {
    }

    private BlockingQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    void start(@Observes StartupEvent event) {
        queue = new ArrayBlockingQueue<>(queueSize);
        for (int i = 0; i < writers; i++) {
            Thread thread = new Thread(this::run, "signature-writer-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** Queues a checked signature; the answer completes once it is committed (or refused, or failed). */
    CompletableFuture<Response> submit(String entityId, SignatureService.Checked checked, String emailHmac, String key,
                                       String fingerprint) {
        Pending pending = new Pending(entityId, checked, emailHmac, key, fingerprint, TraceContext.current(),
                new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            throw new ProblemException(Problem.of(503, "overloaded", "Too many signatures at once",
                    "petition-service has " + queueSize + " signatures waiting to be written; retry in a second")
                    .with("retryAfterSeconds", 1));
        }
        return pending.answer();
    }

    /**
     * For a second after the database was found unreachable, groups are answered "not stored" without trying: each
     * try waits for a connection that will not come, and a burst queued behind an outage once took minutes to be
     * told so. The first group after the pause tries again.
     */
    private static final long UNAVAILABLE_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private volatile long unavailableSince = System.nanoTime() - UNAVAILABLE_PAUSE_NANOS;

    private void run() {
        List<Pending> group = new ArrayList<>(groupSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, groupSize - 1);
                if (System.nanoTime() - unavailableSince < UNAVAILABLE_PAUSE_NANOS) {
                    notStored(group); // nothing was tried: certainly not stored
                    continue;
                }
                SqlFailure failure = commit(group);
                if (failure != null && failure.isUnavailable()) {
                    unavailableSince = System.nanoTime();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    continue; // drain what is queued, then stop
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // a writer that dies leaves every later signature waiting forever: answer this group, go on
                LOG.errorf("signature writer: unexpected %s at %s (SQLSTATE %s)", e.getClass().getName(),
                        e.getStackTrace().length == 0 ? "?" : e.getStackTrace()[0],
                        SqlFailure.of(e) == null ? "none" : SqlFailure.of(e).sqlState());
                ProblemException unexpected = new ProblemException(Problem.of(500, "internal", "Internal error",
                        "the signature may or may not be stored; retry with the same Idempotency-Key; the error has been logged"));
                group.forEach(p -> p.answer().completeExceptionally(unexpected));
            } finally {
                group.clear();
            }
        }
    }

    /**
     * Writes the group and answers every member. A failure before the commit stored nothing and says so; a commit
     * that fails may have happened all the same, so it is answered {@code outcome-unknown}. Returns how the group
     * failed, or null.
     */
    private SqlFailure commit(List<Pending> group) {
        for (int attempt = 1; ; attempt++) {
            try {
                answer(writeAndCommit(group));
                return null;
            } catch (CommitFailed e) {
                LOG.warnf("signature writer: the commit of %d signatures failed (SQLSTATE %s, %s); outcome unknown",
                        group.size(), e.failure.sqlState(), e.failure.name());
                group.forEach(p -> p.answer().completeExceptionally(outcomeUnknown(p.key() != null)));
                return e.failure;
            } catch (SQLException e) {
                SqlFailure failure = SqlFailure.of(e);
                if (failure.isTransient() && attempt < 3) {
                    continue;
                }
                if (failure.isUnavailable() && attempt < 2) {
                    continue; // a pooled connection may have died with the last outage: one try on a fresh one
                }
                if (failure.isUnavailable()) {
                    // no member by member: each would wait for a connection again, and none would get one
                    LOG.warnf("signature writer: database unavailable (SQLSTATE %s); %d signatures refused, not stored",
                            failure.sqlState(), group.size());
                    notStored(group);
                    return failure;
                }
                if (group.size() > 1) {
                    // a member PostgreSQL refuses must not fail the others: halve until it is alone
                    LOG.warnf("signature writer: a group of %d failed (SQLSTATE %s); writing it in halves",
                            group.size(), failure.sqlState());
                    int half = group.size() / 2;
                    SqlFailure first = commit(group.subList(0, half));
                    if (first != null && first.isUnavailable()) {
                        notStored(group.subList(half, group.size()));
                        return first;
                    }
                    return commit(group.subList(half, group.size()));
                }
                group.get(0).answer().completeExceptionally(refused(failure));
                return failure;
            }
        }
    }

    private static void notStored(List<Pending> group) {
        group.forEach(p -> p.answer().completeExceptionally(new ProblemException(Problem.of(503, "database-unavailable",
                "Cannot store the signature now", "the signature was not stored; it is safe to retry")
                .with("retryAfterSeconds", 1))));
    }

    /**
     * The commit was sent and no answer came back: PostgreSQL may have committed. Saying "not stored" here made a
     * careful caller send a counted action again.
     */
    static ProblemException outcomeUnknown(boolean keyed) {
        return new ProblemException(Problem.of(503, "outcome-unknown", "Outcome unknown", keyed
                ? "the connection to the database was lost during the commit: the signature may or may not be stored. "
                + "Retry with the same Idempotency-Key: you get the stored answer, or it is stored now"
                : "the connection to the database was lost during the commit: the signature may or may not be stored. "
                + "Send it again (a signer counts once per case: if it was stored, the answer is 'duplicate'); "
                + "send an Idempotency-Key to get the stored answer instead")
                .with("retryAfterSeconds", 1));
    }

    /** One signature that PostgreSQL refuses on its own: its own answer, never the group's. */
    private static ProblemException refused(SqlFailure failure) {
        if (failure.isData()) {
            return new ProblemException(Problem.of(400, "unstorable-value", "Value cannot be stored",
                    "the database refused a value of this signature (SQLSTATE " + failure.sqlState()
                            + "); it was not stored: change it before sending it again").with("sqlState", failure.sqlState()));
        }
        if (failure.isConstraint()) {
            return new ProblemException(Problem.of(422, "refused-by-database", "Signature refused",
                    "the database refused this signature (SQLSTATE " + failure.sqlState() + "); it was not stored")
                    .with("sqlState", failure.sqlState()));
        }
        LOG.errorf("signature writer: a signature could not be written (SQLSTATE %s, %s)", failure.sqlState(),
                failure.name());
        return new ProblemException(Problem.of(500, "internal", "Internal error",
                "the signature was not stored; the error has been logged"));
    }

    /**
     * What a failed SQL statement says about the database, by SQLSTATE only: an SQLException's message can carry
     * the values of the statement (PgJDBC's batch errors do), so it is never logged nor answered.
     */
    record SqlFailure(String sqlState) {
        /** The failure of the first SQLException in the chain; null if there is none. */
        static SqlFailure of(Throwable e) {
            return find(e, 0);
        }

        // the transaction manager keeps the driver's exception as a suppressed one, not as the cause
        private static SqlFailure find(Throwable e, int depth) {
            if (e == null || depth > 12) {
                return null; // not the database's failure
            }
            if (e instanceof SQLException sql) {
                return new SqlFailure(sql.getSQLState());
            }
            SqlFailure cause = find(e.getCause(), depth + 1);
            for (int i = 0; cause == null && i < e.getSuppressed().length; i++) {
                cause = find(e.getSuppressed()[i], depth + 1);
            }
            return cause;
        }

        private String sqlClass() {
            return sqlState == null || sqlState.length() < 2 ? "" : sqlState.substring(0, 2);
        }

        /**
         * No connection, a lost one, a server shutting down or out of resources (Agroal's timeout has no SQLSTATE).
         * 99999 is PgJDBC's "something unusual has occurred": on Quarkus 3.33 (PgJDBC 42.7.10) a connection opened
         * while the database does not answer failed with it, and the request was answered 500 instead of 503.
         */
        boolean isUnavailable() {
            return "99999".equals(sqlState) || switch (sqlClass()) {
                case "", "08", "53", "57", "58" -> true;
                default -> false;
            };
        }

        /** A deadlock or serialization failure: the same transaction again may pass. */
        boolean isTransient() {
            return "40P01".equals(sqlState) || "40001".equals(sqlState);
        }

        /** A value PostgreSQL cannot store (class 22): the request's own. */
        boolean isData() {
            return sqlClass().equals("22");
        }

        /** An integrity constraint (class 23) refused the row. */
        boolean isConstraint() {
            return sqlClass().equals("23");
        }

        String name() {
            if (isUnavailable()) {
                return "database unavailable";
            }
            return isTransient() ? "transient" : isData() ? "data" : isConstraint() ? "constraint" : "other";
        }
    }

    /** commit() itself failed: what PostgreSQL did is unknown. */
    private static final class CommitFailed extends Exception {
        final SqlFailure failure;

        CommitFailed(SqlFailure failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    /** What one request's transaction did: its answer, or that another request already holds its key. */
    private record Outcome(Pending pending, Response response, boolean keyTaken) {
    }

    private record Row(int member, SignatureRepository.NewSignature signature) {
    }

    private List<Outcome> writeAndCommit(List<Pending> group) throws SQLException, CommitFailed {
        Connection connection = dataSource.getConnection();
        try {
            List<Outcome> outcomes = new ArrayList<>();
            boolean published;
            try {
                connection.setAutoCommit(false);
                boolean[] keyTaken = claimKeys(connection, group);
                List<Row> rows = new ArrayList<>();
                for (int m = 0; m < group.size(); m++) {
                    if (!keyTaken[m]) {
                        final int member = m;
                        Pending p = group.get(m);
                        p.checked().campaigns().forEach((caseId, campaign) -> rows.add(new Row(member,
                                SignatureService.newSignature(p.entityId(), p.checked(), p.emailHmac(), caseId, campaign))));
                    }
                }
                boolean[] inserted = signatures.insertIfFirst(connection, rows.stream().map(Row::signature).toList());
                List<OutboxRows.Row> events = new ArrayList<>();
                List<List<Result>> results = new ArrayList<>();
                group.forEach(p -> results.add(new ArrayList<>()));
                for (int r = 0; r < rows.size(); r++) {
                    Row row = rows.get(r);
                    SignatureRepository.NewSignature s = row.signature();
                    if (inserted[r]) {
                        ActionRecorded event = SignatureService.recorded(s);
                        events.add(new OutboxRows.Row(Topics.ACTIONS, event.key(), event, group.get(row.member()).trace()));
                        results.get(row.member()).add(new Result(s.caseId(), s.actionId(), Result.ACCEPTED));
                    } else {
                        results.get(row.member()).add(new Result(s.caseId(), null, Result.DUPLICATE));
                    }
                }
                OutboxRows.insert(connection, events);
                List<String> bodies = new ArrayList<>();
                for (int m = 0; m < group.size(); m++) {
                    String body = keyTaken[m] ? null : Events.toJson(new ActionResults(results.get(m)));
                    bodies.add(body);
                    outcomes.add(new Outcome(group.get(m), body == null ? null : Response.accepted()
                            .type(MediaType.APPLICATION_JSON).entity(body).build(), keyTaken[m]));
                }
                storeAnswers(connection, group, keyTaken, bodies);
                published = !events.isEmpty();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection); // nothing was committed: a lost connection rolls back on its own
                throw e;
            } catch (AssertionError e) {
                // PgJDBC asserts (under -ea) where a batch meets a dropped connection; still before the commit
                rollbackQuietly(connection);
                throw new SQLException("the driver failed before the commit", "08006", e);
            }
            try {
                connection.commit();
            } catch (SQLException e) {
                throw new CommitFailed(SqlFailure.of(e));
            }
            if (published) {
                relay.wakeUp();
            }
            return outcomes;
        } finally {
            closeQuietly(connection); // after a commit, a failure to hand the connection back changes no answer
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debugf("signature writer: rollback failed (SQLSTATE %s)", e.getSQLState());
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debugf("signature writer: closing a connection failed (SQLSTATE %s)", e.getSQLState());
        }
    }

    /**
     * Claims each Idempotency-Key with a placeholder row, in key order (so two writers never wait on each other in
     * a cycle). A key already stored, claimed by a concurrent transaction, or twice in this group, is taken: that
     * request writes nothing and is answered with the stored answer after the commit.
     */
    private static boolean[] claimKeys(Connection connection, List<Pending> group) throws SQLException {
        boolean[] taken = new boolean[group.size()];
        List<Integer> keyed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int m = 0; m < group.size(); m++) {
            Pending p = group.get(m);
            if (p.key() != null && !seen.add(p.entityId() + '\n' + p.key())) {
                taken[m] = true;
            } else if (p.key() != null) {
                keyed.add(m);
            }
        }
        if (keyed.isEmpty()) {
            return taken;
        }
        keyed.sort(Comparator.comparing((Integer m) -> group.get(m).entityId()).thenComparing(m -> group.get(m).key()));
        try (PreparedStatement claim = connection.prepareStatement("""
                insert into idempotency_key (principal, key, request_hash, status, response) values (?, ?, ?, 0, '')
                on conflict do nothing""")) {
            for (int m : keyed) {
                Pending p = group.get(m);
                claim.setString(1, p.entityId());
                claim.setString(2, p.key());
                claim.setString(3, p.fingerprint());
                claim.addBatch();
            }
            int[] counts = claim.executeBatch();
            for (int i = 0; i < keyed.size(); i++) {
                taken[keyed.get(i)] = counts[i] == 0;
            }
        }
        return taken;
    }

    private static void storeAnswers(Connection connection, List<Pending> group, boolean[] keyTaken, List<String> bodies)
            throws SQLException {
        try (PreparedStatement store = connection.prepareStatement(
                "update idempotency_key set status = 202, response = ? where principal = ? and key = ?")) {
            int n = 0;
            for (int m = 0; m < group.size(); m++) {
                Pending p = group.get(m);
                if (p.key() != null && !keyTaken[m]) {
                    store.setString(1, bodies.get(m));
                    store.setString(2, p.entityId());
                    store.setString(3, p.key());
                    store.addBatch();
                    n++;
                }
            }
            if (n > 0) {
                store.executeBatch();
            }
        }
    }

    /** After the commit: answers, and for requests whose key was taken, the answer stored under it. */
    private void answer(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            if (!o.keyTaken()) {
                o.pending().answer().complete(o.response());
                continue;
            }
            try {
                Pending p = o.pending();
                Response stored = idempotency.replay(p.entityId(), p.key(), p.fingerprint());
                if (stored == null) {
                    throw new IllegalStateException("no answer stored under a key that was taken");
                }
                p.answer().complete(stored);
            } catch (ProblemException e) {
                o.pending().answer().completeExceptionally(e);
            } catch (RuntimeException e) {
                LOG.errorf("signature writer: cannot read the answer stored under an Idempotency-Key (%s, SQLSTATE %s)",
                        e.getClass().getSimpleName(), SqlFailure.of(e) == null ? "none" : SqlFailure.of(e).sqlState());
                o.pending().answer().completeExceptionally(new ProblemException(Problem.of(503, "database-unavailable",
                        "Cannot read the earlier answer now", "the signature is stored under this Idempotency-Key; "
                        + "retry with the same key to get its answer")));
            }
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }
}
