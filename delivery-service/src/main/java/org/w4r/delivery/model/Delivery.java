package org.w4r.delivery.model;

import java.time.Instant;
import java.util.UUID;

/** A delivery plan as stored. */
public record Delivery(UUID id, String campaignId, String caseId, String entityId, String kind, String recipientKind,
                       String recipientName, String city, String country, Instant plannedFor, String status,
                       String plannedBy, Instant plannedAt, String cancelledBy, Instant cancelledAt,
                       String cancelReason) {
}
