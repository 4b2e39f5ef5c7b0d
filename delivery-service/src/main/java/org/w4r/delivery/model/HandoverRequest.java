package org.w4r.delivery.model;

import java.util.List;

/**
 * Body of {@code POST /api/v1/deliveries/{id}/handover}; {@code cutoff} defaults to {@code deliveredAt}. Instants are
 * ISO-8601 strings, read by Validation (a JSON number is refused, not taken as seconds since 1970).
 */
public record HandoverRequest(String deliveredAt, String cutoff, String deliveredBy, String notes,
                              List<String> evidence) {
}
