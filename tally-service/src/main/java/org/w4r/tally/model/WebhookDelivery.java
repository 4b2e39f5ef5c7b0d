package org.w4r.tally.model;

import java.time.Instant;
import java.util.UUID;

/** A delivery as its entity may see it: no body, no secret. {@code nextAttemptAt} only while pending. */
public record WebhookDelivery(UUID id, UUID eventId, String eventType, String state, int attempts, Integer lastStatus,
                              String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt) {
}
