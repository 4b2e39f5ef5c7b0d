package org.w4r.petition.model;

import java.time.Instant;

/**
 * Which messages a read takes: a status (null for pending) and, each null for any, the campaign, case, entity, the
 * language (a primary subtag, lower case: {@code fr} takes {@code fr} and {@code fr-CA}), a cut-off on the time written
 * ({@code until}, a delivery's) and one on the time received ({@code receivedBefore}, the queue's age filter).
 */
public record MessageFilter(String status, String campaignId, String caseId, String entityId, String language,
                            Instant until, Instant receivedBefore) {

    /** Pending messages of a campaign (null for every campaign), narrowed by the rest. */
    public static MessageFilter waiting(String campaignId, String caseId, String entityId, String language,
                                        Instant receivedBefore) {
        return new MessageFilter(Message.PENDING, campaignId, caseId, entityId, language, null, receivedBefore);
    }
}
