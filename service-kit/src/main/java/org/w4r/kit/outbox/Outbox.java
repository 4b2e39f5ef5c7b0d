package org.w4r.kit.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.w4r.events.Events;

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

    /** Returns the outbox row id, for callers that want to wait until it has reached Kafka. */
    public long add(String topic, String key, Object event) {
        Number id = (Number) em.createNativeQuery(
                        "insert into outbox (topic, event_key, payload) values (?1, ?2, ?3) returning id")
                .setParameter(1, topic).setParameter(2, key).setParameter(3, Events.toJson(event))
                .getSingleResult();
        if (transactions.getResource(Outbox.class) != null) {
            return id.longValue(); // the relay is already to be woken when this transaction commits
        }
        transactions.putResource(Outbox.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.wakeUp();
                }
            }
        });
        return id.longValue();
    }
}
