package org.w4r.delivery.model;

import java.time.Instant;

/** Body of {@code POST /api/v1/deliveries}. */
public record PlanRequest(String caseId, String kind, Recipient recipient, Place place, String entityId,
                          Instant plannedFor) {
    public record Recipient(String kind, String name) {
    }

    public record Place(String city, String country) {
    }
}
