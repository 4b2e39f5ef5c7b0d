package org.w4r.petition.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.UUID;

/** Signatures, with the per-person-per-case uniqueness enforced by the database. */
@ApplicationScoped
public class SignatureRepository {
    @Inject
    EntityManager em;

    /** Inserts the signature unless this person already signed for this case; true if it was inserted. */
    public boolean insertIfFirst(UUID actionId, String campaignId, String caseId, String entityId, String emailHmac,
                                 String name, String country, boolean showName, boolean contact,
                                 Instant occurredAt, Instant recordedAt) {
        return em.createNativeQuery("""
                        insert into signature (action_id, campaign_id, case_id, entity_id, email_hmac, name, country,
                                               show_name, contact_me, occurred_at, recorded_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                        on conflict (case_id, email_hmac) do nothing""")
                .setParameter(1, actionId).setParameter(2, campaignId).setParameter(3, caseId)
                .setParameter(4, entityId).setParameter(5, emailHmac).setParameter(6, name)
                .setParameter(7, country).setParameter(8, showName).setParameter(9, contact)
                .setParameter(10, occurredAt).setParameter(11, recordedAt)
                .executeUpdate() == 1;
    }
}
