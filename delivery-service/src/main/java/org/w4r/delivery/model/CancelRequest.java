package org.w4r.delivery.model;

/** Optional body of {@code POST /api/v1/deliveries/{id}/cancel}. */
public record CancelRequest(String reason) {
}
