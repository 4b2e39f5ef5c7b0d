package org.w4r.delivery.model;

import java.time.Instant;
import java.util.List;

/** Body of {@code POST /api/v1/deliveries/{id}/handover}; {@code cutoff} defaults to {@code deliveredAt}. */
public record HandoverRequest(Instant deliveredAt, Instant cutoff, String deliveredBy, String notes,
                              List<String> evidence) {
}
