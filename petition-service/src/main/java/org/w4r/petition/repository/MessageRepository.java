package org.w4r.petition.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.w4r.petition.model.Message;

import java.time.Instant;
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

    /** Not erased, oldest first by the time written; {@code campaignId}, {@code caseId} and {@code until} null for any. */
    public List<Message> list(String status, String campaignId, String caseId, Instant until, int offset, int limit) {
        StringBuilder query = new StringBuilder("status = :status and erasedAt is null");
        Map<String, Object> params = new HashMap<>();
        params.put("status", status);
        if (campaignId != null) {
            query.append(" and campaignId = :campaignId");
            params.put("campaignId", campaignId);
        }
        if (caseId != null) {
            query.append(" and caseId = :caseId");
            params.put("caseId", caseId);
        }
        if (until != null) {
            query.append(" and occurredAt <= :until");
            params.put("until", until);
        }
        query.append(" order by occurredAt, actionId");
        return find(query.toString(), params).range(offset, offset + limit - 1).list();
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
                        where author_email_hmac = :hmac %s
                        returning action_id, case_id""".formatted(entityId == null ? "" : "and entity_id = :entity"))
                .setParameter("hmac", emailHmac).setParameter("now", now);
        if (entityId != null) {
            query.setParameter("entity", entityId);
        }
        return ((List<Object[]>) query.getResultList()).stream()
                .map(row -> new SignatureRepository.Erased(UUID.fromString(row[0].toString()), (String) row[1])).toList();
    }
}
