package org.w4r.delivery.service;

import org.w4r.delivery.model.ApprovedMessage;
import org.w4r.delivery.model.Signer;

import java.time.Instant;
import java.util.List;

/**
 * What a delivery pack needs from petition-service, which alone keeps signers' and authors' personal data.
 * Implementations throw {@link UnavailableException} when petition-service cannot answer, and
 * {@link SignerDataRetiredException} when the case's campaign was anonymised under the retention schedule. A refusal of
 * the request itself is the caller's answer, not an outage: a hold petition-service already has is
 * {@link HoldGuard#onHold} (409), a credential it has revoked is 401.
 */
public interface PetitionDirectory {
    /**
     * Signers of the case who consented to be named, who signed at or before {@code until}: only those taken through
     * {@code entityId}, or every entity's when it is null. A plan for one entity hands over that entity's petition,
     * so its pack must not name the signers other entities collected (read-only audit, 4 December 2026).
     */
    List<Signer> signers(String caseId, String entityId, Instant until, String authorization);

    /**
     * Approved solidarity messages of the case written ({@code occurredAt}) at or before {@code until}: only
     * {@code entityId}'s, or every entity's when it is null.
     */
    List<ApprovedMessage> approvedMessages(String caseId, String entityId, Instant until, String authorization);
}
