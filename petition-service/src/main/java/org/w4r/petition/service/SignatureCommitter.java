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

    /** A checked signature waiting for its commit. {@code key} is null without an Idempotency-Key. */
    record Pending(String entityId, SignatureService.Checked checked, String emailHmac, String key, String fingerprint,
                   CompletableFuture<Response> answer) {
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
        Pending pending = new Pending(entityId, checked, emailHmac, key, fingerprint, new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            throw new ProblemException(Problem.of(503, "overloaded", "Too many signatures at once",
                    "petition-service has " + queueSize + " signatures waiting to be written; retry in a second")
                    .with("retryAfterSeconds", 1));
        }
        return pending.answer();
    }

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
                commit(group);
            } catch (InterruptedException e) {
                if (!running) {
                    continue; // drain what is queued, then stop
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("signature writer: unexpected failure", e);
                group.forEach(p -> p.answer().completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending> group) {
        for (int attempt = 1; ; attempt++) {
            try {
                List<Outcome> outcomes = writeAndCommit(group);
                answer(outcomes);
                return;
            } catch (SQLException e) {
                boolean retryable = e.getSQLState() != null
                        && (e.getSQLState().equals("40P01") || e.getSQLState().equals("40001"));
                if (retryable && attempt < 3) {
                    continue;
                }
                if (group.size() > 1) {
                    LOG.warnf("signature writer: a group of %d failed (%s); writing them one by one", group.size(), e.getMessage());
                    group.forEach(p -> commit(List.of(p)));
                    return;
                }
                LOG.errorf(e, "signature writer: a signature could not be written");
                group.get(0).answer().completeExceptionally(new ProblemException(Problem.of(503, "database-unavailable",
                        "Cannot store the signature now", "the signature was not stored; it is safe to retry")));
                return;
            }
        }
    }

    /** What one request's transaction did: its answer, or that another request already holds its key. */
    private record Outcome(Pending pending, Response response, boolean keyTaken) {
    }

    private record Row(int member, SignatureRepository.NewSignature signature) {
    }

    private List<Outcome> writeAndCommit(List<Pending> group) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
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
                        events.add(new OutboxRows.Row(Topics.ACTIONS, event.key(), event));
                        results.get(row.member()).add(new Result(s.caseId(), s.actionId(), Result.ACCEPTED));
                    } else {
                        results.get(row.member()).add(new Result(s.caseId(), null, Result.DUPLICATE));
                    }
                }
                OutboxRows.insert(connection, events);
                List<Outcome> outcomes = new ArrayList<>();
                List<String> bodies = new ArrayList<>();
                for (int m = 0; m < group.size(); m++) {
                    String body = keyTaken[m] ? null : Events.toJson(new ActionResults(results.get(m)));
                    bodies.add(body);
                    outcomes.add(new Outcome(group.get(m), body == null ? null : Response.accepted()
                            .type(MediaType.APPLICATION_JSON).entity(body).build(), keyTaken[m]));
                }
                storeAnswers(connection, group, keyTaken, bodies);
                connection.commit();
                if (!events.isEmpty()) {
                    relay.wakeUp();
                }
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
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
                LOG.errorf(e, "signature writer: cannot read the answer stored under an Idempotency-Key");
                o.pending().answer().completeExceptionally(new ProblemException(Problem.of(503, "database-unavailable",
                        "Cannot read the earlier answer now", "it is safe to retry")));
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
