package org.w4r.tally.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A webhook an entity registered: where to POST, which event types, and the HMAC key its deliveries are signed with. */
public record Webhook(UUID id, String entityId, String url, List<String> events, String secret, Instant createdAt) {
}
