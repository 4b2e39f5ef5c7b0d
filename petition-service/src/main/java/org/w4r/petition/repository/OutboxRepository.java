package org.w4r.petition.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.w4r.events.Events;

/** Writes events to the outbox in the caller's transaction; {@link org.w4r.petition.messaging.OutboxRelay} sends them. */
@ApplicationScoped
public class OutboxRepository {
    @Inject
    EntityManager em;

    public void add(String topic, String key, Object event) {
        em.createNativeQuery("insert into outbox (topic, event_key, payload) values (?1, ?2, ?3)")
                .setParameter(1, topic).setParameter(2, key).setParameter(3, Events.toJson(event))
                .executeUpdate();
    }
}
