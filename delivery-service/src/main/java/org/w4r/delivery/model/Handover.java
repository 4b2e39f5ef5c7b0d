package org.w4r.delivery.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A recorded handover as stored, without its frozen counts. */
public record Handover(UUID deliveryId, Instant deliveredAt, Instant cutoff, String deliveredBy, String notes,
                       List<String> evidence, String recordedBy, Instant recordedAt, long total, String packSha256,
                       Instant packCreatedAt) {
}
