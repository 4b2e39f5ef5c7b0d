package org.w4r.petition.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.w4r.petition.model.Message;
import org.w4r.petition.model.MessageFilter;
import org.w4r.petition.model.WaitingMessages;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Solidarity messages and their moderation. */
@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<Message, UUID> {

    /** The message, locked until the transaction ends (a decision is taken once); null if there is none. */
    public Message lockForReview(UUID messageId) {
        return findById(messageId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The messages, locked until the transaction ends, in the order of their ids (two bulk decisions lock alike). */
    public List<Message> lockAllForReview(Collection<UUID> messageIds) {
        return find("actionId in ?1 order by actionId", messageIds).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /**
     * Not erased (nor, while pending, invalidated), oldest first by the time written (ties by id: a stable order);
     * {@code after} (null for the first page) is the last message of the previous page: the page starts after it,
     * however many were decided meanwhile.
     */
    @SuppressWarnings("unchecked")
    public List<Message> list(MessageFilter filter, Message after, int offset, int limit) {
        Where where = where(filter);
        if (after != null) {
            where.and("(occurred_at, action_id) > (:afterTime, :afterId)", "afterTime", after.occurredAt)
                    .params.put("afterId", after.actionId);
        }
        var query = getEntityManager().createNativeQuery("select * from message where " + where.sql
                + " order by occurred_at, action_id offset :offset limit :limit", Message.class);
        where.params.forEach(query::setParameter);
        return query.setParameter("offset", offset).setParameter("limit", limit).getResultList();
    }

    /** How many match the filter (its status), and the oldest received, in all and by case, entity and language. */
    @SuppressWarnings("unchecked")
    public WaitingMessages count(MessageFilter filter) {
        Where where = where(filter);
        // one pass over the matching messages (a campaign's waiting ones: the message_waiting index), four groupings;
        // grouping() is a bit mask of the columns a row's grouping leaves out
        var query = getEntityManager().createNativeQuery("""
                select grouping(case_id, entity_id, lang) as grouped, case_id, entity_id, lang, count(*), min(recorded_at)
                from (select case_id, entity_id, lower(split_part(language, '-', 1)) as lang, recorded_at
                      from message where %s) m
                group by grouping sets ((case_id), (entity_id), (lang), ())
                order by 2, 3, 4""".formatted(where.sql));
        where.params.forEach(query::setParameter);
        WaitingMessages.Group all = new WaitingMessages.Group(null, 0, null);
        List<WaitingMessages.Group> cases = new ArrayList<>();
        List<WaitingMessages.Group> entities = new ArrayList<>();
        List<WaitingMessages.Group> languages = new ArrayList<>();
        for (Object[] row : (List<Object[]>) query.getResultList()) {
            int grouped = ((Number) row[0]).intValue();
            long waiting = ((Number) row[4]).longValue();
            Instant oldest = row[5] == null ? null : toInstant(row[5]);
            switch (grouped) {
                case 0b011 -> cases.add(new WaitingMessages.Group((String) row[1], waiting, oldest));
                case 0b101 -> entities.add(new WaitingMessages.Group((String) row[2], waiting, oldest));
                case 0b110 -> languages.add(new WaitingMessages.Group((String) row[3], waiting, oldest));
                default -> all = new WaitingMessages.Group(null, waiting, oldest);
            }
        }
        return new WaitingMessages(all, cases, entities, languages);
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return time.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    private static Where where(MessageFilter filter) {
        String status = filter.status() == null ? Message.PENDING : filter.status();
        Where where = new Where("status = :status and erased_at is null", "status", status);
        if (Message.PENDING.equals(status)) {
            // a message a bulk invalidation took out waits no more, until the invalidation is reversed; approved, it
            // is still listed: delivery-service prints the messages its handover counted, which it keeps
            where.sql += " and invalidation_id is null";
        }
        if (filter.campaignId() != null) {
            where.and("campaign_id = :campaignId", "campaignId", filter.campaignId());
        }
        if (filter.caseId() != null) {
            where.and("case_id = :caseId", "caseId", filter.caseId());
        }
        if (filter.entityId() != null) {
            where.and("entity_id = :entityId", "entityId", filter.entityId());
        }
        if (filter.language() != null) {
            where.and("lower(split_part(language, '-', 1)) = :language", "language", filter.language());
        }
        if (filter.until() != null) {
            where.and("occurred_at <= :until", "until", filter.until());
        }
        if (filter.receivedBefore() != null) {
            where.and("recorded_at < :receivedBefore", "receivedBefore", filter.receivedBefore());
        }
        return where;
    }

    /** A where clause and its parameters, one condition at a time (every value a parameter, never in the SQL). */
    private static final class Where {
        final Map<String, Object> params = new HashMap<>();
        String sql;

        Where(String condition, String name, Object value) {
            sql = condition;
            params.put(name, value);
        }

        Where and(String condition, String name, Object value) {
            sql += " and " + condition;
            params.put(name, value);
            return this;
        }
    }

    /**
     * In the transaction that writes a message of this author through {@code entityId}, before it is stored: whether
     * the author was erased for that entity, after taking the author's erasure lock shared until the transaction ends
     * ({@code erased_signer_guard}, V25 and V26). A message answered 503, sent again after its author was erased, or written
     * while the erasure committed, kept author and text (a read-only review, 6 December 2026).
     */
    public boolean authorErased(String emailHmac, String entityId) {
        Object erased = getEntityManager().createNativeQuery(
                        "select erased_signer_guard(decode(cast(:hmac as text), 'hex'), cast(:entity as varchar))")
                .setParameter("hmac", emailHmac).setParameter("entity", entityId).getSingleResult();
        return Boolean.TRUE.equals(erased);
    }

    /**
     * Forgets author, email hash, text and review reason of the messages under a keyed email hash ({@code entityId}
     * null: of every entity), and marks them erased: they still count, but are neither moderated nor delivered.
     */
    @SuppressWarnings("unchecked")
    public List<SignatureRepository.Erased> erase(String emailHmac, String entityId, Instant now) {
        var query = getEntityManager().createNativeQuery("""
                        update message set author_name = null, author_country = null, author_email_hmac = null, text = '',
                                           review_reason = null, erased_at = :now
                        where author_email_hmac = decode(cast(:hmac as text), 'hex') %s
                        returning action_id, case_id""".formatted(entityId == null ? "" : "and entity_id = :entity"))
                .setParameter("hmac", emailHmac).setParameter("now", now);
        if (entityId != null) {
            query.setParameter("entity", entityId);
        }
        return ((List<Object[]>) query.getResultList()).stream()
                .map(row -> new SignatureRepository.Erased(UUID.fromString(row[0].toString()), (String) row[1])).toList();
    }
}
