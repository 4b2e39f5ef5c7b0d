package org.w4r.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.EventPublisher;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.tracing.EventTracing;
import org.w4r.kit.tracing.TraceContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Relays the outbox to Kafka in batches: send every row of a batch, wait for all acks (acks=all), then record in the
 * same transaction how far it has sent ({@code outbox_position}). A crash between ack and that record re-sends a
 * batch; consumers are idempotent on the event id, so that is harmless. If Kafka is down the rows wait, and the API
 * keeps accepting. Each event leaves with the trace context of the request that wrote it ({@link
 * EventTracing#publishing}).
 *
 * <p>The outbox is a log, not a queue (issue 20: an insert and a delete per event, and the vacuum of every deleted
 * row, were a third of the rows PostgreSQL wrote per signature). Rows are never deleted one by one: once every row of
 * one of the outbox's four partitions has been sent, {@link #prune} empties it with {@code TRUNCATE}.
 *
 * <h2>Why reading by position sends every row once, and each key in order</h2>
 * Ids come from a sequence before commit, so a row with a smaller id can become visible after a larger one has been
 * sent; a plain "everything above the last id sent" would skip it. Each row records its transaction ({@code tx}), and
 * each batch reads in one REPEATABLE READ snapshot S: the rows above {@code sent_id} ("new"), and the rows at or below
 * it whose transaction had not ended at the previous batch's snapshot ("late"; in flight then, so they were invisible
 * to it). The invariant, kept by every committed batch: <em>a row not yet sent has an id above {@code sent_id}, or a
 * transaction that had not ended at {@code snap}</em>. A batch sends every late row visible in S and the visible new
 * rows in id order up to its size; it then sets {@code sent_id} to the last new row sent and {@code snap} to S. A
 * row still invisible in S had a transaction in flight at S, so it stays late; a row sent was visible in S, so it had
 * ended, and is never late again. A batch that fails changes nothing, and sends its rows again.
 *
 * <p>Order: rows of one case or key are written in commit order (the writers lock the row they change), so the later
 * one has the larger id and becomes visible after the earlier. Whenever the later is visible, so is the earlier; late
 * rows (smaller ids) go before new ones, each in id order; so a key's rows leave in order.
 *
 * <p>Batches stay at most {@code batch-size} events even when one transaction commits 200,000 late events at once (a
 * bulk invalidation): the relay then drains them a batch at a time against the snapshot it started from ({@code
 * late_snap}, {@code late_id}) before it sends anything new, as the queue it replaces sent them in id order.
 *
 * <p>A batch that fails after its sends went out is sent again first, and as it was: before its first send it keeps
 * its snapshot with the position it started from ({@code outbox_attempt}, in a transaction of its own), and the next
 * batch from that position reads only the rows visible in that snapshot and records it as its own. Read anew, rows
 * committed in between came first: a drain of a bulk invalidation's late rows put the second copy of the batch's
 * events 200,000 records after the first, past every consumer's dedupe window (a read-only review, 6 December 2026).
 *
 * <p><b>The fence.</b> A relay that lost its lock (its session cut, or ended by PostgreSQL after a stall) may still have
 * sends out, and its copies could land after the next relay's newer events for the same key: on a compacted topic the
 * older state would stay last (a read-only review, 6 December 2026). So the attempt is kept (synchronously) only while
 * the batch's own session still holds the relay lock, says whose it is and until when its sends may still reach Kafka
 * ({@code expires_at}: the keeper's {@link #fence}, its send window, plus {@link EventPublisher#sendBound}, plus a
 * margin of at least {@link EventPublisher#requestBound}), and the batch starts its sends only within {@link
 * #SEND_WINDOW} of starting to keep it. Another relay does not send from that position, nor keep an attempt of its own
 * there, before {@code expires_at}. A batch that fails brings it forward to a margin after its sends ended (a failed
 * send is no proof the request did not reach a broker). A relay that stopped in the middle of a batch makes the next
 * wait at most the fence (about 55 s with the kit's settings). A review of the first version (7 December 2026) found
 * the settle without a margin, the topics' creation and the keep's commit inside the window, and the asynchronous keep.
 *
 * <p>A row may hold many events of one topic ({@link Group}, {@code V0_6__outbox_grouped_rows.sql}): the position,
 * the late rows and the partitions are about rows, the batch limit is about events. A row is sent whole, in one batch,
 * its events in the order they were added; a batch takes no row that would carry it past its limit (the first row of
 * a batch excepted, so that a row written under a larger batch size still leaves).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventPublisher publisher;

    @Inject
    EventTracing tracing;

    @Inject
    org.w4r.kit.problem.LostConnections lostConnections;

    @Inject
    Settings settings;

    /**
     * Off in a service without an outbox table; how many rows a batch takes, how long an empty outbox rests, and how
     * long a busy relay lets its next batch gather.
     */
    @ConfigMapping(prefix = "w4r.outbox")
    public interface Settings {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("1000")
        int batchSize();

        @WithDefault("250")
        long idlePollMs();

        /**
         * How long a busy relay (its last batch sent something) lets the next batch gather before it reads it, however
         * many commits wake it meanwhile; an idle one reads at once when woken. 0 (the kit's default): never gathers,
         * so a request that waits for its event to be relayed (case-service's holds and keys) is not held up; a
         * service whose relay is busy sets it (petition-service).
         */
        @WithDefault("0")
        long gatherMs();
    }

    /** Any constant shared by every instance of every service: each service has its own database. */
    private static final long RELAY_LOCK = 0x7734_6f75_7462_6f78L;

    /** The outbox's partitions ({@code db/outbox/V0_4__outbox_log.sql}): a ring of four. */
    static final int PARTITIONS = 4;

    /** The partition an id goes to: the migration's partition key, in SQL. */
    private static String partitionOf(String id) {
        return "((" + id + " >> 18) & 3)";
    }

    /** How often the relay tries to empty the partitions it has sent; each try is a few index lookups. */
    private static final long PRUNE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A plain row's columns, then a grouped row's ({@code V0_6__outbox_grouped_rows.sql}). */
    private static final String COLUMNS = "id, topic, event_key, payload, trace_parent, trace_state, "
            + "group_topic, event_keys, payloads, trace_parents, trace_states";

    /** This relay, in the attempts it keeps: another instance's relay is another id. */
    final java.util.UUID relayId = java.util.UUID.randomUUID();

    /** How long after keeping its attempt a batch may still start a send (see the class comment). */
    static final java.time.Duration SEND_WINDOW = java.time.Duration.ofSeconds(5);

    /** The clock the send window is read on: a test moves it to stand for a stall, rather than stalling. */
    java.util.function.LongSupplier nanoTime = System::nanoTime;

    /** Beyond the producer's own bound: a request a broker took just before the client gave up on it. */
    volatile java.time.Duration margin;

    /** How long this relay's attempt holds its position against other relays; computed once from the producer's settings. */
    volatile java.time.Duration fence;

    java.time.Duration margin() {
        java.time.Duration m = margin;
        if (m == null) {
            m = max(java.time.Duration.ofSeconds(5), publisher.requestBound());
            margin = m;
        }
        return m;
    }

    java.time.Duration fence() {
        java.time.Duration f = fence;
        if (f == null) {
            f = SEND_WINDOW.plus(publisher.sendBound()).plus(margin());
            fence = f;
        }
        return f;
    }

    private static java.time.Duration max(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private final Semaphore work = new Semaphore(0);
    private volatile boolean running = true;
    private volatile Thread thread;

    /** Starts at start-up in services that have an outbox, so rows left by a crash are sent without new writes. */
    void start(@Observes StartupEvent event) {
        if (!settings.enabled()) {
            return;
        }
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.errorf(e, "outbox relay stopped: %s; nothing is sent until "
                + "this instance restarts (its liveness check is DOWN)", e));
        thread.start();
    }

    /**
     * False once the relay's thread has ended while it should run: an {@code Error} (out of memory, a class that
     * cannot load) is not caught by its loop, and the thread ends. Rows would then wait until a restart, with only
     * the backlog's age to show it: seen on 5 December 2026, when a class replaced under a running test made the
     * relay's thread end with {@code NoClassDefFoundError}. The liveness check ({@code OutboxRelayHealth}) makes the
     * platform restart the instance.
     */
    public boolean alive() {
        Thread relay = thread;
        return !settings.enabled() || !running || relay == null || relay.isAlive();
    }

    /**
     * Called after a transaction that wrote to the outbox has committed, so events leave without polling delay (once
     * the gather after a batch, if any, has ended: {@link Settings#gatherMs()}).
     */
    public void wakeUp() {
        if (work.availablePermits() == 0) {
            work.release();
        }
    }

    private void run() {
        long backoffMs = 100;
        long lastPrune = System.nanoTime();
        while (running) {
            try {
                int sent = relayBatch();
                backoffMs = 100;
                if (System.nanoTime() - lastPrune > PRUNE_EVERY_NANOS) {
                    lastPrune = System.nanoTime();
                    prune();
                }
                if (gathers(sent)) {
                    // issue 20 (7 December 2026): under load every commit woke the relay, so a batch held what
                    // committed while the one before was sent, about 60 events at 2,500 signatures/s, and each batch's
                    // fixed cost (a dozen statements, a produce request, a fetch answered in each consumer) was paid
                    // that often; resting here is not cut short by wakeUp()
                    sleep(settings.gatherMs());
                    work.drainPermits();
                    if (!running) {
                        // stopped while gathering: what committed meanwhile (petition's writers drain into the outbox
                        // before the relay stops) is read once more, not left for another instance or the next start
                        // (a review of the gather, 7 December 2026); stop() waits for this batch as for any other
                        Thread.interrupted();
                        relayBatch();
                    }
                } else if (!moreWaiting) {
                    work.tryAcquire(settings.idlePollMs(), TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | AssertionError e) {
                if (e instanceof AssertionError && org.w4r.kit.problem.DatabaseProblems.lostInBatch(e) == null) {
                    throw (AssertionError) e; // a real assertion; PgJDBC's batch one is a lost connection, waited out
                }
                if (e instanceof SQLException sql && "40001".equals(sql.getSQLState())) {
                    // another instance's relay moved the position after this batch's snapshot: nothing was sent
                    LOG.debug("outbox relay: the position moved under this batch; reading it again");
                    continue;
                }
                lostConnections.after(e);
                LOG.warnf("outbox relay: %s; retrying in %d ms", Failures.describe(e), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }

    /** An event read to be sent: the outbox row it is in, and its place in that row (0 in a plain row). */
    private record Pending(long id, int index, ProducerRecord<String, String> record, String traceParent,
                           String traceState) {
    }

    /** An outbox row read to be sent: its events, one for a plain row. Sent whole, in one batch. */
    private record Stored(long id, List<Pending> events) {
    }

    /**
     * Whether the loop rests {@code gather-ms} before its next batch: the last one sent something but left nothing
     * waiting (a full batch reads again at once, an empty one waits to be woken).
     */
    boolean gathers(int sent) {
        return sent > 0 && !moreWaiting && settings.gatherMs() > 0;
    }

    /** Whether the last batch left rows to send at once (it was full), rather than after a rest. */
    private boolean moreWaiting;

    /** Whether the relay's loop reads its next batch at once, without resting first (for tests). */
    boolean readsAgainAtOnce() {
        return moreWaiting;
    }

    /**
     * One batch: returns how many events it sent (or set aside).
     *
     * <p>Only one relay per database sends at a time (a transaction-level advisory lock): with two instances each
     * sending what it read, a key's later event (a key's revocation, a hold's lift) could leave before its earlier one
     * and a compacted topic would keep the wrong state.
     *
     * <p>A row Kafka refuses for good (too large, an unknown topic: not a {@code RetriableException}) is copied to
     * {@code outbox_dead_letter} and the relay goes on: such a row once stopped every later hold and revocation.
     */
    int relayBatch() throws SQLException, InterruptedException {
        // rest after this batch unless it proves full: a batch that finds another relay at work, or fails, must not
        // make the loop try again at once (a review of the grouped rows found the relay spinning on the lock)
        moreWaiting = false;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            // one snapshot for the position, the reads and the new position (see the class comment); the pool
            // restores the isolation level when the connection returns to it
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            java.util.UUID sendsEnded = null; // the attempt whose every send has ended, once they have
            try {
                if (!soleRelay(connection)) {
                    connection.commit();
                    return 0;
                }
                planByIndex(connection);
                // the snapshot was taken before the lock was: if the relay that held it moved the position since,
                // this read fails (could not serialize) and the batch is tried again, before anything is sent twice
                Position position = Position.read(connection);
                // a batch from this position whose sends may have gone out: read only what it could see, so that it
                // is sent again first and as it was (V0_7__outbox_attempt.sql); not while another relay's sends of it
                // may still be on their way (V0_8__outbox_attempt_fence.sql)
                Attempt.Found found = Attempt.from(connection, position);
                if (found != null && found.othersMayBeSending(relayId)) {
                    connection.commit();
                    return 0;
                }
                String attempted = found == null ? null : found.snap();
                Batch batch = next(connection, position, settings.batchSize(), attempted);
                List<Pending> rows = batch.events();
                if (rows.isEmpty()) {
                    if (position.lateSnap() != null) {
                        batch.after().write(connection); // a drain that ended on an empty batch
                    }
                    connection.commit();
                    return 0;
                }
                publisher.readyToSend(); // the topics' creation may take long: not inside the send window
                java.util.UUID attemptId = java.util.UUID.randomUUID();
                String snapshot = attempted == null ? currentSnapshot(connection) : attempted;
                int batchPid = backendPid(connection);
                long keptAt = nanoTime.getAsLong(); // before the keep: a stall in its commit is inside the window
                // before anything is sent, and only while this batch's session holds the relay lock
                String kept = Attempt.keep(dataSource, position, snapshot, relayId, attemptId, batchPid, fence());
                if (!snapshot.equals(kept)) {
                    // refused (null), or an attempt from this position this batch's snapshot did not see: its
                    // snapshot is the one to send again with, by the next batch; in that case this batch holds the
                    // position now, and has sent nothing
                    connection.rollback();
                    if (kept != null) {
                        Attempt.settle(dataSource, attemptId, margin());
                    }
                    return 0;
                }
                List<CompletableFuture<?>> acks = new ArrayList<>();
                for (Pending row : rows) {
                    if (nanoTime.getAsLong() - keptAt > SEND_WINDOW.toNanos()) {
                        break; // stalled since the attempt was kept: the fence no longer covers a send started now
                    }
                    Span publish = tracing.publishing(row.record(), row.id(), TraceContext.stored(row.traceParent(), row.traceState()));
                    CompletableFuture<?> ack = publisher.send(row.record());
                    ack.whenComplete((sent, error) -> EventTracing.sent(publish, error));
                    acks.add(ack);
                    if (ack.isCompletedExceptionally() && !refusedAtOnceForGood(ack)) {
                        // refused before it left (no broker for max.block.ms): every later row would wait as long
                        // again, holding this transaction for hours in an outage; they are sent again next time
                        break;
                    }
                }
                List<Pending> refused = new ArrayList<>();
                List<String> errors = new ArrayList<>();
                Throwable retriable = null;
                for (int i = 0; i < acks.size(); i++) {
                    try {
                        acks.get(i).join();
                    } catch (java.util.concurrent.CompletionException e) {
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        if (!refusedForGood(cause)) {
                            retriable = retriable == null ? cause : retriable;
                        } else {
                            refused.add(rows.get(i));
                            errors.add(Failures.describe(cause));
                        }
                    }
                }
                sendsEnded = attemptId;
                if (retriable != null || acks.size() < rows.size()) {
                    // the position stays: every row of the batch is sent again, in order (a duplicate is harmless,
                    // a key's later event overtaking its earlier one is not)
                    connection.rollback();
                    throw new IllegalStateException("Kafka did not acknowledge every event; the batch of " + rows.size()
                            + " is sent again: " + Failures.describe(retriable == null ? new IllegalStateException(
                            "a send was refused before it left") : retriable));
                }
                setAside(connection, refused, errors);
                batch.after().write(connection);
                connection.commit();
                moreWaiting = batch.full();
                return rows.size();
            } catch (RuntimeException | SQLException e) {
                try {
                    connection.rollback();
                } finally {
                    if (sendsEnded != null) {
                        // a batch that failed once every send of it had ended (Kafka, or its position's write, or
                        // its commit): another relay need not wait out the fence, only the margin (a third review)
                        Attempt.settle(dataSource, sendsEnded, margin());
                    }
                }
                throw e;
            }
        }
    }

    /** A record the producer refused before sending because it can never be sent (too large): set aside, go on. */
    private static boolean refusedAtOnceForGood(CompletableFuture<?> ack) {
        try {
            ack.join();
            return false;
        } catch (java.util.concurrent.CompletionException e) {
            return refusedForGood(e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * Where the relay has got to ({@code outbox_position}, see the class comment): every row with an id up to {@code
     * sentId} whose transaction had ended at {@code snap} has been sent; during a drain ({@code lateSnap} set) also the
     * late rows up to {@code lateId} whose transaction had ended at {@code lateSnap}. Snapshots are PostgreSQL's text
     * form ({@code xmin:xmax:xip,...}); {@code null} as the next snapshot stands for the batch's own.
     */
    record Position(long sentId, String snap, String lateSnap, long lateId) {
        static Position read(Connection connection) throws SQLException {
            try (Statement select = connection.createStatement();
                 ResultSet rs = select.executeQuery(
                         "select sent_id, snap::text, late_snap::text, late_id from outbox_position for update")) {
                rs.next();
                return new Position(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4));
            }
        }

        void write(Connection connection) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("""
                    update outbox_position set sent_id = ?, snap = coalesce(?::pg_snapshot, pg_current_snapshot()),
                           late_snap = ?::pg_snapshot, late_id = ?""")) {
                update.setLong(1, sentId);
                update.setString(2, snap);
                update.setString(3, lateSnap);
                update.setLong(4, lateId);
                update.executeUpdate();
            }
        }
    }

    /**
     * The rows of one batch, in the order they are sent, the position once they are, and whether it was full (more
     * rows wait, to be read at once).
     */
    private record Batch(List<Stored> rows, Position after, boolean full) {
        List<Pending> events() {
            List<Pending> events = new ArrayList<>();
            rows.forEach(row -> events.addAll(row.events()));
            return events;
        }
    }

    /**
     * The next batch. Late rows (at or below {@code sentId}, of a transaction in flight at {@code snap}) go first; if
     * there are more than a batch, the relay drains them a batch at a time against a fixed snapshot before it sends
     * anything new, so that no batch, and no re-send after a crash, is larger than {@code limit} rows (a consumer's
     * dedupe window counts on that: docs/reliability.md). Otherwise the batch takes the late rows and then new ones in
     * id order, and moves the position to its own snapshot.
     */
    private Batch next(Connection connection, Position at, int limit, String attempted) throws SQLException {
        // a batch tried before from this position: only the rows visible in its snapshot, which becomes the position's
        String visible = attempted == null ? "" : " and pg_visible_in_snapshot(tx, ?::pg_snapshot)";
        if (at.lateSnap() != null) {
            List<Stored> late = select(connection, limit, LATE + """
                      and pg_visible_in_snapshot(tx, ?::pg_snapshot) and id + 0 > ?)
                select * from late order by id limit ?""", at.snap(), at.snap(), at.sentId(), at.lateSnap(), at.lateId(), limit + 1);
            List<Stored> taken = fit(late, limit, true);
            if (taken.size() < late.size()) {
                return new Batch(taken, new Position(at.sentId(), at.snap(), at.lateSnap(), last(taken)), true);
            }
            // drained: what is still late had not ended at lateSnap
            return new Batch(late, new Position(at.sentId(), at.lateSnap(), null, 0), events(late) >= limit);
        }
        List<Stored> late = attempted == null
                ? select(connection, limit, LATE + ") select * from late order by id limit ?", at.snap(), at.snap(),
                        at.sentId(), limit + 1)
                : select(connection, limit, LATE + visible + ") select * from late order by id limit ?", at.snap(),
                        at.snap(), at.sentId(), attempted, limit + 1);
        List<Stored> taken = fit(late, limit, true);
        if (taken.size() < late.size()) {
            return new Batch(taken, new Position(at.sentId(), at.snap(),
                    attempted == null ? currentSnapshot(connection) : attempted, last(taken)), true);
        }
        List<Stored> rows = new ArrayList<>(late);
        int room = limit - events(late);
        boolean full = room <= 0;
        if (room > 0) {
            // at most one row per event of room; a row that would take the batch past its limit waits for the next
            List<Stored> fresh = attempted == null
                    ? select(connection, room, "select " + COLUMNS + " from outbox where id > ? order by id limit ?",
                            at.sentId(), room)
                    : select(connection, room, "select " + COLUMNS + " from outbox where id > ?" + visible
                            + " order by id limit ?", at.sentId(), attempted, room);
            List<Stored> fits = fit(fresh, room, late.isEmpty());
            rows.addAll(fits);
            full = fits.size() < fresh.size() || events(fits) >= room;
        }
        long sentId = rows.size() > late.size() ? last(rows) : at.sentId();
        return new Batch(rows, new Position(sentId, attempted, null, 0), full); // null: this batch's own snapshot
    }

    /**
     * The batch being sent: the position it started from and the snapshot it read in (V0_7__outbox_attempt.sql), kept
     * before its first send in a transaction of its own, since the batch's may be rolled back after its sends went out.
     * Committed synchronously since the fence (V0_8): an attempt lost with the database's crash while its sends were
     * out let the next relay send at once (a review, 7 December 2026); it costs a WAL flush per batch.
     */
    static final class Attempt {
        private Attempt() {
        }

        /** The attempt kept from a position: its snapshot, and whether another relay's sends may still be out. */
        record Found(String snap, java.util.UUID relay, boolean expired) {
            boolean othersMayBeSending(java.util.UUID me) {
                return !expired && !relay.equals(me);
            }
        }

        /**
         * Kept in a transaction of its own, committed synchronously, and only if the batch's session ({@code batchPid})
         * still holds the relay lock and no other relay's attempt from the same position is still in force ({@code
         * expires_at}). Returns the snapshot kept (an attempt from the same position keeps its own: the batch is sent
         * again as it was), or null, with nothing kept: the batch sends nothing. Two relays that both think they may
         * send from one position (one whose session was just cut, one that just took the lock) both write this one
         * row; the second to commit finds the first's attempt in force and stands down.
         */
        static String keep(AgroalDataSource dataSource, Position from, String snapshot, java.util.UUID relay,
                           java.util.UUID attemptId, int batchPid, java.time.Duration fence) throws SQLException {
            try (Connection c = dataSource.getConnection(); PreparedStatement keep = c.prepareStatement("""
                    insert into outbox_attempt as a (from_sent_id, from_snap, from_late, from_late_id, attempt_snap, relay,
                                                     attempt_id, kept_at, expires_at)
                    select ?, ?, ?, ?, ?, ?, ?, clock_timestamp(), clock_timestamp() + ? * interval '1 millisecond'
                    where exists (select 1 from pg_locks l where l.pid = ? and l.locktype = 'advisory' and l.granted
                                    and l.objsubid = 1 and l.classid::bigint = ? and l.objid::bigint = ?)
                    on conflict (singleton) do update set from_sent_id = excluded.from_sent_id,
                           from_snap = excluded.from_snap, from_late = excluded.from_late,
                           from_late_id = excluded.from_late_id, relay = excluded.relay,
                           attempt_id = excluded.attempt_id, kept_at = excluded.kept_at, expires_at = excluded.expires_at,
                           attempt_snap = case when a.from_sent_id = excluded.from_sent_id
                                                 and a.from_snap = excluded.from_snap
                                                 and a.from_late is not distinct from excluded.from_late
                                                 and a.from_late_id = excluded.from_late_id
                                                then a.attempt_snap else excluded.attempt_snap end
                    where a.relay = excluded.relay or a.expires_at <= clock_timestamp()
                       or a.from_sent_id <> excluded.from_sent_id or a.from_snap <> excluded.from_snap
                       or a.from_late is distinct from excluded.from_late or a.from_late_id <> excluded.from_late_id
                    returning attempt_snap""")) {
                keep.setLong(1, from.sentId());
                keep.setString(2, from.snap());
                keep.setString(3, from.lateSnap());
                keep.setLong(4, from.lateId());
                keep.setString(5, snapshot);
                keep.setObject(6, relay);
                keep.setObject(7, attemptId);
                keep.setLong(8, fence.toMillis());
                keep.setInt(9, batchPid);
                keep.setLong(10, RELAY_LOCK >>> 32); // a bigint advisory key is classid (high half), objid (low)
                keep.setLong(11, RELAY_LOCK & 0xffff_ffffL);
                try (ResultSet rs = keep.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }

        /**
         * A failed batch, every send of which has ended: its attempt holds the position only for {@code margin} more
         * (a request the producer gave up on may still reach a broker), not the whole fence, and for its own relay too
         * (no relay's, the nil id): a relay that keeps failing (cut off from the brokers, refused by them) re-kept its
         * own attempt before the margin was out, again and again, and no other instance could send (a second review
         * of the fence, 7 December 2026).
         */
        static void settle(AgroalDataSource dataSource, java.util.UUID attemptId, java.time.Duration margin) {
            try (Connection c = dataSource.getConnection(); PreparedStatement settle = c.prepareStatement("""
                    update outbox_attempt set expires_at = least(expires_at, clock_timestamp() + ? * interval '1 millisecond'),
                                              relay = '00000000-0000-0000-0000-000000000000'
                    where attempt_id = ?""")) {
                settle.setLong(1, margin.toMillis());
                settle.setObject(2, attemptId);
                settle.executeUpdate();
            } catch (SQLException e) {
                // the next relay waits out the whole fence instead
                LOG.debugf("outbox relay: could not record the failed batch's sends as ended: %s", Failures.describe(e));
            }
        }

        /** The attempt kept from exactly {@code at}, or null: none was, or it was recorded. */
        static Found from(Connection connection, Position at) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement("""
                    select attempt_snap, relay, expires_at <= clock_timestamp() from outbox_attempt
                    where from_sent_id = ? and from_snap = ? and from_late is not distinct from ? and from_late_id = ?""")) {
                select.setLong(1, at.sentId());
                select.setString(2, at.snap());
                select.setString(3, at.lateSnap());
                select.setLong(4, at.lateId());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? new Found(rs.getString(1), rs.getObject(2, java.util.UUID.class), rs.getBoolean(3))
                            : null;
                }
            }
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement(); ResultSet rs = select.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The first of {@code rows} whose events number at most {@code room}: a row is never split across batches. The
     * first row is taken whatever its size if {@code firstAlways} (else a row larger than a batch, written while the
     * batch size was larger, would never leave).
     */
    private static List<Stored> fit(List<Stored> rows, int room, boolean firstAlways) {
        int events = 0;
        int taken = 0;
        for (Stored row : rows) {
            if (events + row.events().size() > room && !(taken == 0 && firstAlways)) {
                break;
            }
            events += row.events().size();
            taken++;
        }
        return rows.subList(0, taken);
    }

    private static int events(List<Stored> rows) {
        return rows.stream().mapToInt(row -> row.events().size()).sum();
    }

    /**
     * Rows at or below the position whose transaction was in flight at its snapshot: they committed after the batch
     * that passed their id. Found by the transaction index, then sorted: {@code id + 0}, and the sort outside a
     * materialized query, keep the planner off the id index, which would read every row already sent (a review
     * measured 227 ms a batch with 250,000 rows sent). Ends inside the {@code late} query, for a caller to add to.
     */
    private static final String LATE = "with late as materialized (select " + COLUMNS + """
             from outbox
            where (tx >= pg_snapshot_xmax(?::pg_snapshot) or tx = any(array(select pg_snapshot_xip(?::pg_snapshot))))
              and id + 0 <= ?""";

    private static long last(List<Stored> rows) {
        return rows.get(rows.size() - 1).id();
    }

    private static String currentSnapshot(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("select pg_current_snapshot()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * The rows {@code sql} finds, in its order, read until they hold more than {@code events} events (and at least
     * two rows, if there are): the statements
     * limit rows, and a row may hold a hundred events, so reading every row they allow would read (and decode) about
     * a hundred times what a batch sends while a backlog drains (found by a review). The rows come a fetch at a time
     * (the batch's transaction keeps the cursor open), so at most a fetch more than needed is read.
     */
    private static List<Stored> select(Connection connection, int events, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(FETCH_ROWS);
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<Stored> rows = new ArrayList<>();
            int read = 0;
            try (ResultSet rs = select.executeQuery()) {
                // one row past the budget, and always a second row: the caller tells "more rows wait" from a row it
                // could not take, even when the first row alone is over the budget (else a drain would end early and
                // move the snapshot past late rows never sent)
                while ((read <= events || rows.size() < 2) && rs.next()) {
                    Stored row = stored(rs);
                    rows.add(row);
                    read += row.events().size();
                }
            }
            return rows;
        }
    }

    /** Rows per round trip while a batch reads: a few batches' worth of small rows, or a fraction of one of large. */
    private static final int FETCH_ROWS = 100;

    private static Stored stored(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        String[] payloads = strings(rs, 9);
        if (payloads == null) {
            return new Stored(id, List.of(new Pending(id, 0,
                    new ProducerRecord<>(rs.getString(2), rs.getString(3), rs.getString(4)),
                    rs.getString(5), rs.getString(6))));
        }
        String topic = rs.getString(7);
        String[] keys = strings(rs, 8);
        String[] parents = strings(rs, 10);
        String[] states = strings(rs, 11);
        List<Pending> events = new ArrayList<>(payloads.length);
        for (int i = 0; i < payloads.length; i++) {
            events.add(new Pending(id, i, new ProducerRecord<>(topic, keys[i], payloads[i]),
                    parents == null ? null : parents[i], states == null ? null : states[i]));
        }
        return new Stored(id, events);
    }

    private static String[] strings(ResultSet rs, int column) throws SQLException {
        java.sql.Array array = rs.getArray(column);
        return array == null ? null : (String[]) array.getArray();
    }

    /**
     * Empties each partition whose every row has been sent, with {@code TRUNCATE}: no dead rows, nothing to vacuum.
     * Never the partition the id sequence is in (it is being written; its turn comes once ids have moved on), and
     * under the relay lock, so no batch reads meanwhile. A partition anyone is using (a writer still inserting, a
     * reader of {@code outbox_backlog}) is left for the next try ({@code NOWAIT}); once it is taken, a writer that
     * drew an id in it, and every reader of the whole outbox, waits for the check and the TRUNCATE (milliseconds).
     * While the lock is held no transaction can add a row to the partition, so the check that nothing in it is unsent
     * cannot be overtaken. Returns how many it emptied.
     */
    int prune() throws SQLException {
        int emptied = 0;
        int current;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select " + partitionOf("last_value") + " from outbox_id_seq")) {
            rs.next();
            current = rs.getInt(1);
        }
        for (int partition = 0; partition < PARTITIONS; partition++) {
            if (partition == current) {
                continue;
            }
            String table = "outbox_" + partition;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    if (!soleRelay(connection) || !exists(statement, "select exists (select 1 from " + table + ")")) {
                        connection.commit();
                        continue;
                    }
                    try {
                        statement.execute("lock table " + table + " in access exclusive mode nowait");
                    } catch (SQLException busy) {
                        connection.rollback(); // 55P03: a writer is adding to it; next time
                        continue;
                    }
                    if (exists(statement, "select exists (select 1 from outbox_backlog where " + partitionOf("id") + " = " + partition + ")")) {
                        connection.rollback();
                        continue;
                    }
                    statement.execute("truncate " + table);
                    connection.commit();
                    emptied++;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        }
        return emptied;
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Whether Kafka refused this record for what it is, so that sending it again can never succeed: too large, or
     * malformed for its topic. Only such a row is set aside; every other failure leaves the row where it is, to be
     * sent again. Setting aside "whatever is not known to be transient" once moved acknowledged actions to the
     * dead letters on every graceful shutdown (a read-only audit, 4 December 2026): the shared producer was closed
     * while the relay was still sending, its "producer closed" errors are not transient, and the rows left the
     * outbox without ever reaching Kafka.
     */
    static boolean refusedForGood(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || t instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
                    || t instanceof org.apache.kafka.common.InvalidRecordException
                    || t instanceof org.apache.kafka.common.errors.InvalidTopicException
                    || t instanceof org.apache.kafka.common.errors.SerializationException) {
                return true;
            }
        }
        return false;
    }

    /** Whether this relay holds the database's relay lock for this transaction. */
    private static boolean soleRelay(Connection connection) throws SQLException {
        try (Statement lock = connection.createStatement();
             ResultSet rs = lock.executeQuery("select pg_try_advisory_xact_lock(" + RELAY_LOCK + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void setAside(Connection connection, List<Pending> events, List<String> errors) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement move = connection.prepareStatement("""
                insert into outbox_dead_letter (id, event_index, topic, event_key, payload, created_at, error)
                select id, ?, ?, ?, ?, created_at, ? from outbox where id = ?
                on conflict (id, event_index) do nothing""")) {
            for (int i = 0; i < events.size(); i++) {
                Pending event = events.get(i);
                move.setInt(1, event.index());
                move.setString(2, event.record().topic());
                move.setString(3, event.record().key());
                move.setString(4, event.record().value());
                move.setString(5, errors.get(i));
                move.setLong(6, event.id());
                move.addBatch();
            }
            move.executeBatch();
        }
        LOG.errorf("outbox relay: Kafka refused %d events for good (%s); they are in outbox_dead_letter",
                events.size(), errors.get(0));
    }

    /** Events Kafka refused for good, set aside: health reports them, staff list them. */
    public long deadLetters() throws SQLException {
        return rows("outbox_dead_letter");
    }

    @RequiredUnlessNullable
    @Schema(description = "An outbox event Kafka refused for good: where it was going, when, and why")
    public record DeadLetter(long id,
                             @Schema(description = "the event's place in its outbox row: 0 unless the row holds many")
                             int eventIndex,
                             String topic,
                             @Schema(nullable = true) String key,
                             Instant createdAt,
                             Instant failedAt,
                             @Schema(nullable = true) String error,
                             int payloadBytes) {
    }

    /** The first 1,000 set aside, oldest first: events carry ids and counts only, so nothing personal is shown. */
    public List<DeadLetter> oldestDeadLetters() throws SQLException {
        List<DeadLetter> list = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select id, event_index, topic, event_key, created_at, failed_at, error,
                            coalesce(octet_length(payload), 0)
                     from outbox_dead_letter order by id, event_index limit 1000""");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                list.add(new DeadLetter(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getInt(8)));
            }
        }
        return list;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** The most events a batch sends: a grouped outbox row holds no more ({@link Group}). */
    int batchSize() {
        return settings.batchSize();
    }

    /**
     * The outbox can hold a backlog of a million rows (Kafka down) or next to nothing. A plan cached (or statistics
     * taken) while it was nearly empty once said "scan the table", and with a backlog every batch scanned hundreds of
     * MB. Every read here is by an index, so plan each batch's statements afresh and never as a table scan. With table
     * scans priced out, a read of the one-row position costs 10^10 in the planner's units, far past {@code
     * jit_above_cost}: PostgreSQL then compiled each statement with LLVM, 120-290 ms a batch, and on 5 December the
     * relay fell 13-22 s behind at 2,500 signatures/s (freshness p50 / p99, bench-893kjwj). So no JIT either.
     */
    private static void planByIndex(Connection connection) throws SQLException {
        try (Statement settings = connection.createStatement()) {
            settings.execute("set local plan_cache_mode = force_custom_plan; set local enable_seqscan = off; set local jit = off");
        }
    }

    /**
     * Waits until the outbox row {@code id} (committed) has been acknowledged by Kafka; false if not within {@code
     * timeout}, and false if Kafka refused it for good: a row set aside is passed by the relay too, and a hold answered "on Kafka for
     * every service" while it sat in the dead letters would have been a lie (found reading the code, 4 December 2026).
     */
    public boolean awaitRelayed(long id, java.time.Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        wakeUp();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement state = connection.prepareStatement("""
                     select exists (select 1 from outbox_backlog where id = ?),
                            exists (select 1 from outbox_dead_letter where id = ?)""")) {
            state.setLong(1, id);
            state.setLong(2, id);
            while (true) {
                try (ResultSet rs = state.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return !rs.getBoolean(2);
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                sleep(10);
            }
        }
    }

    /** Events accepted but not yet acknowledged by Kafka. */
    public long backlog() throws SQLException {
        return rows("outbox_backlog");
    }

    /** {@code table} is one of the kit's own relations, never a caller's text. */
    private long rows(String table) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("select count(*) from " + table);
             ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Stops the relay and waits for its batch to end, before the shared producer is closed ({@link
     * org.w4r.kit.messaging.KafkaClients} closes it last): a batch cut by a closed producer keeps its rows for the
     * next relay, but one that ends first is cleaner. After the services' own stop (petition's signature writers drain
     * into the outbox), which has the default priority.
     */
    void stop(@Observes @Priority(STOP_PRIORITY) ShutdownEvent event) {
        running = false;
        Thread relay = thread;
        if (relay != null) {
            relay.interrupt();
            try {
                relay.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** After observers of the default priority (APPLICATION + 500), before the Kafka clients close. */
    public static final int STOP_PRIORITY = jakarta.interceptor.Interceptor.Priority.APPLICATION + 900;

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
