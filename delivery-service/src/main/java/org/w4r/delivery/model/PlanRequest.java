package org.w4r.delivery.model;

/** Body of {@code POST /api/v1/deliveries}; {@code plannedFor} is an ISO-8601 instant, read by Validation. */
public record PlanRequest(String caseId, String kind, Recipient recipient, Place place, String entityId,
                          String plannedFor) {
    public record Recipient(String kind, String name) {
    }

    public record Place(String city, String country) {
    }
}
