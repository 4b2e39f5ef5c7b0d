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
 * Relays the outbox to Kafka in batches: send every row of a batch, wait for all acks (acks=all), then delete the
 * rows in the same transaction that locked them. A crash between ack and delete re-sends a batch; consumers are
 * idempotent on the event id, so that is harmless. If Kafka is down the rows wait, and the API keeps accepting.
 * Each event leaves with the trace context of the request that wrote it ({@link EventTracing#publishing}).
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
    Settings settings;

    /**
     * Off in a service without an outbox table; how many rows a batch takes, how long an empty outbox rests, and after
     * how many deleted rows the relay vacuums the table ({@link OutboxVacuum}; 0: never, autovacuum alone).
     */
    @ConfigMapping(prefix = "w4r.outbox")
    public interface Settings {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("1000")
        int batchSize();

        @WithDefault("250")
        long idlePollMs();

        @WithDefault("10000")
        long vacuumEvery();
    }

    /** Any constant shared by every instance of every service: each service has its own database. */
    private static final long RELAY_LOCK = 0x7734_6f75_7462_6f78L;

    private final Semaphore work = new Semaphore(0);
    private volatile boolean running = true;
    private volatile Thread thread;
    private OutboxVacuum vacuum;

    /** Starts at start-up in services that have an outbox, so rows left by a crash are sent without new writes. */
    void start(@Observes StartupEvent event) {
        if (!settings.enabled()) {
            return;
        }
        vacuum = new OutboxVacuum(dataSource, settings.vacuumEvery());
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called after a transaction that wrote to the outbox has committed, so events leave without polling delay. */
    public void wakeUp() {
        if (work.availablePermits() == 0) {
            work.release();
        }
    }

    private void run() {
        long backoffMs = 100;
        while (running) {
            try {
                int sent = relayBatch();
                vacuum.deleted(sent);
                backoffMs = 100;
                if (sent < settings.batchSize()) {
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
                LOG.warnf("outbox relay: %s; retrying in %d ms", Failures.describe(e), backoffMs);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }

    /**
     * One batch: returns how many rows it took off the queue (sent or set aside).
     *
     * <p>Only one relay per database sends at a time (a transaction-level advisory lock): with two instances each
     * skipping the other's locked rows, a key's later event (a key's revocation, a hold's lift) could leave before its
     * earlier one and a compacted topic would keep the wrong state. Rows of one case or key are written in commit order
     * (the writers lock the row they change), so sending in id order keeps them in order.
     *
     * <p>A row Kafka refuses for good (too large, an unknown topic: not a {@code RetriableException}) is moved to
     * {@code outbox_dead_letter} and the relay goes on: such a row once stopped every later hold and revocation.
     */
    int relayBatch() throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!soleRelay(connection)) {
                    connection.commit();
                    return 0;
                }
                planByPrimaryKey(connection);
                List<Long> ids = new ArrayList<>();
                List<CompletableFuture<?>> acks = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(
                        "select id, topic, event_key, payload, trace_parent, trace_state from outbox order by id limit ? for update")) {
                    select.setInt(1, settings.batchSize());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            long id = rows.getLong(1);
                            ids.add(id);
                            ProducerRecord<String, String> record = new ProducerRecord<>(rows.getString(2), rows.getString(3), rows.getString(4));
                            Span publish = tracing.publishing(record, id, TraceContext.stored(rows.getString(5), rows.getString(6)));
                            CompletableFuture<?> ack = publisher.send(record);
                            ack.whenComplete((sent, error) -> EventTracing.sent(publish, error));
                            acks.add(ack);
                            if (ack.isCompletedExceptionally()) {
                                // refused before it left (no broker for max.block.ms): every later row would wait as
                                // long again, holding this transaction for hours in an outage; they stay for next time
                                break;
                            }
                        }
                    }
                }
                if (ids.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                List<Long> sent = new ArrayList<>();
                List<Long> refused = new ArrayList<>();
                List<String> errors = new ArrayList<>();
                Throwable retriable = null;
                for (int i = 0; i < ids.size(); i++) {
                    try {
                        acks.get(i).join();
                        // after a row that must be sent again, a later row stays too and leaves again after it: a
                        // duplicate is harmless, a key's later event overtaking its earlier one is not
                        if (retriable == null) {
                            sent.add(ids.get(i));
                        }
                    } catch (java.util.concurrent.CompletionException e) {
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        if (!refusedForGood(cause)) {
                            retriable = retriable == null ? cause : retriable;
                        } else if (retriable == null) {
                            refused.add(ids.get(i));
                            errors.add(Failures.describe(cause));
                        }
                    }
                }
                setAside(connection, refused, errors);
                delete(connection, sent);
                connection.commit();
                if (retriable != null) {
                    throw new IllegalStateException("Kafka did not acknowledge every event; " + (ids.size() - sent.size()
                            - refused.size()) + " stay to be sent again, in order: " + Failures.describe(retriable));
                }
                return ids.size();
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            }
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

    private static void delete(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("delete from outbox where id = any(?)")) {
            delete.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            delete.executeUpdate();
        }
    }

    private static void setAside(Connection connection, List<Long> ids, List<String> errors) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement move = connection.prepareStatement("""
                with moved as (delete from outbox where id = ? returning id, topic, event_key, payload, created_at)
                insert into outbox_dead_letter (id, topic, event_key, payload, created_at, error)
                select id, topic, event_key, payload, created_at, ? from moved""")) {
            for (int i = 0; i < ids.size(); i++) {
                move.setLong(1, ids.get(i));
                move.setString(2, errors.get(i));
                move.addBatch();
            }
            move.executeBatch();
        }
        LOG.errorf("outbox relay: Kafka refused %d events for good (%s); they are in outbox_dead_letter",
                ids.size(), errors.get(0));
    }

    /** Events Kafka refused for good, set aside: health reports them, staff list them. */
    public long deadLetters() throws SQLException {
        return rows("outbox_dead_letter");
    }

    @RequiredUnlessNullable
    @Schema(description = "An outbox row Kafka refused for good: where it was going, when, and why")
    public record DeadLetter(long id,
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
                     select id, topic, event_key, created_at, failed_at, error, coalesce(octet_length(payload), 0)
                     from outbox_dead_letter order by id limit 1000""");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                list.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getInt(7)));
            }
        }
        return list;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * The outbox is a queue: often empty, sometimes a backlog of a million rows. A plan cached (or statistics taken)
     * while it was nearly empty said "scan the table"; with a backlog that made every batch scan hundreds of MB, and
     * the relay fell further behind at 1,000 events/s. Every access here is by primary key, so plan each batch's
     * statements afresh and never as a table scan.
     */
    private static void planByPrimaryKey(Connection connection) throws SQLException {
        try (Statement settings = connection.createStatement()) {
            settings.execute("set local plan_cache_mode = force_custom_plan; set local enable_seqscan = off");
        }
    }

    /**
     * Waits until the outbox row {@code id} has been acknowledged by Kafka; false if not within {@code timeout}, and
     * false if Kafka refused it for good: a row set aside leaves the outbox too, and a hold answered "on Kafka for
     * every service" while it sat in the dead letters would have been a lie (found reading the code, 4 December 2026).
     */
    public boolean awaitRelayed(long id, java.time.Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        wakeUp();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement state = connection.prepareStatement("""
                     select exists (select 1 from outbox where id = ?),
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
        return rows("outbox");
    }

    /** {@code table} is one of the kit's own two, never a caller's text. */
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
