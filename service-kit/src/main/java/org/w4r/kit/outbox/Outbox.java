package org.w4r.kit.outbox;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.w4r.events.Events;
import org.w4r.kit.tracing.TraceContext;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an event to the outbox in the caller's transaction, so the event exists if and only if the change
 * it announces was committed. {@link OutboxRelay} sends it once the transaction has committed.
 */
@ApplicationScoped
public class Outbox {
    @Inject
    EntityManager em;

    @Inject
    OutboxRelay relay;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    AgroalDataSource dataSource;

    /**
     * Returns the outbox row id, for callers that want to wait until it has reached Kafka. A null {@code event} is a
     * tombstone: on a compacted topic it removes the key.
     */
    public long add(String topic, String key, Object event) {
        TraceContext trace = TraceContext.current();
        Number id = (Number) em.createNativeQuery("""
                        insert into outbox (topic, event_key, payload, trace_parent, trace_state)
                        values (?1, ?2, cast(?3 as text), cast(?4 as text), cast(?5 as text)) returning id""")
                .setParameter(1, topic).setParameter(2, key).setParameter(3, text(event == null ? null : Events.toJson(event)))
                .setParameter(4, text(trace == null ? null : trace.traceparent()))
                .setParameter(5, text(trace == null ? null : trace.tracestate()))
                .getSingleResult();
        pending();
        return id.longValue();
    }

    /** A text parameter that may be null (Hibernate cannot tell the type of a bare null). */
    private static org.hibernate.query.TypedParameterValue<String> text(String value) {
        return new org.hibernate.query.TypedParameterValue<>(org.hibernate.type.StandardBasicTypes.STRING, value);
    }

    /**
     * As {@link #add}, but the row is written just before the transaction commits, together with every other row
     * added so: one batched round trip for a transaction that announces a thousand actions, instead of a thousand.
     */
    public void addAtCommit(String topic, String key, Object event) {
        pending().add(new OutboxRows.Row(topic, key, event));
    }

    /** This transaction's rows to write at commit; on first use, arranges for the write and the relay's wake-up. */
    @SuppressWarnings("unchecked")
    private List<OutboxRows.Row> pending() {
        List<OutboxRows.Row> rows = (List<OutboxRows.Row>) transactions.getResource(Outbox.class);
        if (rows != null) {
            return rows;
        }
        List<OutboxRows.Row> atCommit = new ArrayList<>();
        transactions.putResource(Outbox.class, atCommit);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                if (atCommit.isEmpty() || transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
                    return;
                }
                try (Connection connection = dataSource.getConnection()) { // this transaction's connection
                    OutboxRows.insert(connection, atCommit);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot write the outbox; the transaction rolls back", e);
                }
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wakeUp();
                }
            }
        });
        return atCommit;
    }
}
