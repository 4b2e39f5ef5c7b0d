package org.w4r.kit.outbox;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.w4r.kit.tracing.TraceContext;
import org.w4r.kit.transaction.AfterCommit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The one way every service announces a change: the event is written to the outbox in the transaction of the change,
 * so it exists if and only if that change was committed, and {@link OutboxRelay} sends it once the transaction has
 * committed. Rows are written at once, on the transaction's own connection; a transaction must be active (outside
 * one, the row would be committed on its own, announcing a change that may never be made).
 */
@ApplicationScoped
public class Outbox {
    private static final String INSERT =
            "insert into outbox (topic, event_key, payload, trace_parent, trace_state) values (?, ?, ?, ?, ?)";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    OutboxRelay relay;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /**
     * An event for {@code topic} under {@code key}; a null {@code event} is a tombstone (on a compacted topic it
     * removes the key). {@code trace} is the trace context of the request that caused it (null if none): the relay
     * sends it as the record's {@code traceparent} header, so the consumers continue that request's trace.
     */
    public record Row(String topic, String key, Object event, TraceContext trace) {
        /** A row in the calling thread's trace: build it on the request's thread, not on a writer thread. */
        public Row(String topic, String key, Object event) {
            this(topic, key, event, TraceContext.current());
        }
    }

    /** One event; returns its outbox row id, for a caller that waits until it has reached Kafka. */
    public long add(String topic, String key, Object event) {
        try (Connection connection = transactionConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT, new String[]{"id"})) {
            bind(insert, Group.Event.of(new Row(topic, key, event)));
            insert.executeUpdate();
            try (ResultSet id = insert.getGeneratedKeys()) {
                id.next();
                return id.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the outbox; the transaction rolls back", e);
        }
    }

    /**
     * Many events in one batched round trip: a transaction that announces a thousand actions (a batch, a group of
     * signatures) paid a round trip per event when each was added on its own.
     */
    public void addAll(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = transactionConnection()) {
            insert(connection, rows, Math.min(Group.MOST_EVENTS, relay.batchSize()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the outbox; the transaction rolls back", e);
        }
    }

    /**
     * The active transaction's connection, once the entity changes made so far are written: the change goes before
     * its announcement, and a change the database refuses (a duplicate id) fails here, in the caller's code, as it
     * did when this row was written through the entity manager. On first use in a transaction, the relay is woken
     * after its commit.
     */
    private Connection transactionConnection() throws SQLException {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("the outbox is written in the transaction of the change it announces");
        }
        em.flush();
        if (transactions.getResource(Outbox.class) == null) {
            transactions.putResource(Outbox.class, Boolean.TRUE);
            AfterCommit.run(transactions, relay::wakeUp);
        }
        return dataSource.getConnection(); // enlisted: the transaction's own
    }

    /**
     * All rows in batched round trips on {@code connection}, in the caller's transaction and in the order given:
     * consecutive events of one topic share an outbox row ({@link Group}), at most {@code mostPerRow} of them.
     */
    static void insert(Connection connection, List<Row> rows, int mostPerRow) throws SQLException {
        try (PreparedStatement plain = connection.prepareStatement(INSERT);
             PreparedStatement grouped = connection.prepareStatement(INSERT_GROUP)) {
            PreparedStatement waiting = null;
            for (List<Group.Event> group : Group.of(rows, mostPerRow)) {
                PreparedStatement next = group.size() == 1 ? plain : grouped;
                if (waiting != null && waiting != next) {
                    waiting.executeBatch(); // ids follow the order given: a key's events leave in that order
                }
                if (group.size() == 1) {
                    bind(plain, group.get(0));
                } else {
                    bind(connection, grouped, group);
                }
                next.addBatch();
                waiting = next;
            }
            if (waiting != null) {
                waiting.executeBatch();
            }
        }
    }

    private static final String INSERT_GROUP = "insert into outbox (group_topic, event_keys, payloads, trace_parents, "
            + "trace_states) values (?, ?, ?, ?, ?)";

    private static void bind(Connection connection, PreparedStatement insert, List<Group.Event> group)
            throws SQLException {
        String[] keys = new String[group.size()];
        String[] payloads = new String[group.size()];
        String[] parents = new String[group.size()];
        String[] states = new String[group.size()];
        boolean traced = false;
        for (int i = 0; i < group.size(); i++) {
            Row row = group.get(i).row();
            keys[i] = row.key();
            payloads[i] = group.get(i).payload();
            if (row.trace() != null) {
                parents[i] = row.trace().traceparent();
                states[i] = row.trace().tracestate();
                traced = true;
            }
        }
        insert.setString(1, group.get(0).row().topic());
        insert.setArray(2, connection.createArrayOf("text", keys));
        insert.setArray(3, connection.createArrayOf("text", payloads));
        insert.setArray(4, traced ? connection.createArrayOf("text", parents) : null);
        insert.setArray(5, traced ? connection.createArrayOf("text", states) : null);
    }

    private static void bind(PreparedStatement insert, Group.Event event) throws SQLException {
        Row row = event.row();
        insert.setString(1, row.topic());
        insert.setString(2, row.key());
        insert.setString(3, event.payload());
        insert.setString(4, row.trace() == null ? null : row.trace().traceparent());
        insert.setString(5, row.trace() == null ? null : row.trace().tracestate());
    }
}
