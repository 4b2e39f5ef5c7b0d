package org.w4r.delivery.service;

import java.time.Instant;

/** A delivery to plan, its texts already normalised; {@code city}, {@code country} and {@code entityId} may be null. */
public record PlanCommand(String caseId, String kind, String recipientKind, String recipientName, String city,
                          String country, String entityId, Instant plannedFor) {
}
