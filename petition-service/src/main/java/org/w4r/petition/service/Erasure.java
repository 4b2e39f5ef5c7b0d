package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.w4r.events.SignerErased;
import org.w4r.events.Topics;
import org.w4r.kit.outbox.Outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A supporter's request to be forgotten. Their signatures lose name and country, their messages lose author and
 * text; the keyed hash of the email stays on signatures, so they still count once and cannot be counted twice.
 * Counts do not change. An entity erases only what was taken through it; without an entity (a coordinator) the
 * erasure crosses entities. A {@link SignerErased} in the same transaction tells every other service which actions
 * to drop what it derived from (delivery packs, approved messages).
 */
@ApplicationScoped
public class Erasure {
    /** Ids per event: a prolific author's messages must not make one event larger than the producer may send. */
    static final int IDS_PER_EVENT = 1_000;

    @Inject
    EntityManager em;

    @Inject
    SignerHasher hasher;

    @Inject
    Outbox outbox;

    /** {@code entityId} null: across entities. Returns the erasure's id, whether or not anything matched. */
    @Transactional
    public UUID erase(String entityId, String email) {
        String hmac = hasher.hash(Inputs.email("email", email));
        UUID erasureId = UUID.randomUUID();
        Instant now = ActionRules.now();
        List<Object[]> erased = new ArrayList<>(rows("""
                with erased as (
                    update signature set name = null, country = null, show_name = false, contact_me = false
                    where email_hmac = :hmac %s
                    returning action_id, case_id)
                select action_id, case_id from erased""", hmac, entityId, null));
        erased.addAll(rows("""
                with erased as (
                    update message set author_name = null, author_country = null, author_email_hmac = null, text = '',
                                       review_reason = null, erased_at = :now
                    where author_email_hmac = :hmac %s
                    returning action_id, case_id)
                select action_id, case_id from erased""", hmac, entityId, now));
        publish(erasureId, entityId, erased, now);
        return erasureId;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, String hmac, String entityId, Instant now) {
        var query = em.createNativeQuery(sql.formatted(entityId == null ? "" : "and entity_id = :entity"))
                .setParameter("hmac", hmac);
        if (entityId != null) {
            query.setParameter("entity", entityId);
        }
        if (now != null) {
            query.setParameter("now", now);
        }
        return query.getResultList();
    }

    /** Ids only, in order, in as many events as the ids need (at least one, so every erasure leaves a trace). */
    private void publish(UUID erasureId, String entityId, List<Object[]> erased, Instant now) {
        erased.sort((a, b) -> a[0].toString().compareTo(b[0].toString()));
        int from = 0;
        do {
            List<Object[]> part = erased.subList(from, Math.min(from + IDS_PER_EVENT, erased.size()));
            List<UUID> actionIds = part.stream().map(r -> UUID.fromString(r[0].toString())).toList();
            List<String> caseIds = List.copyOf(new TreeSet<>(part.stream().map(r -> (String) r[1]).toList()));
            outbox.add(Topics.ERASURES, erasureId.toString(),
                    new SignerErased(UUID.randomUUID(), erasureId, entityId, caseIds, actionIds, now));
            from += IDS_PER_EVENT;
        } while (from < erased.size());
    }
}
