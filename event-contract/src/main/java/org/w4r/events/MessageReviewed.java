package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A moderator's decision on a solidarity message ({@code actionId} is the message's action id), on topic
 * {@link Topics#MODERATION}, keyed by caseId. Only approved messages are ever delivered. No text, no names.
 */
public record MessageReviewed(
        UUID eventId,
        UUID actionId,
        String campaignId,
        String caseId,
        String entityId,
        String decision,
        Instant occurredAt,
        Instant reviewedAt) {
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";

    public MessageReviewed {
        Events.require("MessageReviewed", "eventId", eventId);
        Events.require("MessageReviewed", "actionId", actionId);
        // campaignId and entityId: required by the schema, and by every reader's table (read-only review, 6 December
        // 2026: delivery-service could only refuse one without them, three times, before setting it aside)
        Events.require("MessageReviewed", "campaignId", campaignId);
        Events.require("MessageReviewed", "caseId", caseId);
        Events.require("MessageReviewed", "entityId", entityId);
        Events.require("MessageReviewed", "occurredAt", occurredAt);
        Events.require("MessageReviewed", "reviewedAt", reviewedAt);
        if (!APPROVED.equals(decision) && !REJECTED.equals(decision)) {
            throw new IllegalArgumentException("MessageReviewed: decision must be approved or rejected");
        }
    }
}
