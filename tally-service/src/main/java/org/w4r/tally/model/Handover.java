package org.w4r.tally.model;

import java.time.Instant;

/**
 * A delivery of a case as delivery-service announced it (ids, kinds, counts; never names). {@code status}: planned,
 * handed-over or cancelled; {@code cutoff} and {@code total} once handed over.
 */
public record Handover(String deliveryId, String kind, String status, Instant changedAt, Instant cutoff, Long total) {
}
