package org.w4r.delivery.model;

import java.time.Instant;
import java.util.UUID;

/** An approved solidarity message, as petition-service serves it. */
public record ApprovedMessage(UUID messageId, String caseId, String entityId, Author author, String text, String language,
                              Instant createdAt) {
    public record Author(String name, String country) {
    }
}
