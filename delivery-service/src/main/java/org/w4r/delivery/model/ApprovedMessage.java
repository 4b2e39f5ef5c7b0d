package org.w4r.delivery.model;

import java.time.Instant;
import java.util.UUID;

/**
 * An approved solidarity message, as petition-service serves it: {@code occurredAt} is when it was written (what the
 * frozen count and so the pack's cut-off compare), {@code createdAt} when petition-service stored it, which may be
 * later (an entity may send a message written before a cut-off after it).
 */
public record ApprovedMessage(UUID messageId, String caseId, String entityId, Author author, String text, String language,
                              Instant occurredAt, Instant createdAt) {
    public record Author(String name, String country) {
    }
}
