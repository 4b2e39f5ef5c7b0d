package org.w4r.tally.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * A delivery of a case as delivery-service announced it (ids, kinds, counts; never names). {@code status}: planned,
 * handed-over or cancelled; {@code cutoff} and {@code total} once handed over. A nullable instant is written out as a
 * date-time string: the shared Instant schema, referenced, could not be null in OpenAPI 3.0.
 */
public record Handover(String deliveryId, @Schema(nullable = true) String kind, String status,
                       @Schema(nullable = true, implementation = String.class, format = "date-time") Instant changedAt,
                       @Schema(nullable = true, implementation = String.class, format = "date-time") Instant cutoff,
                       @Schema(nullable = true) Long total) {
}
