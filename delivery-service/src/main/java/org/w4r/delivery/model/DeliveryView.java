package org.w4r.delivery.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A delivery as the API shows it; {@code handover} once delivered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(UUID id, String campaignId, String caseId, String entityId, String kind,
                           PlanRequest.Recipient recipient, PlanRequest.Place place, Instant plannedFor, String status,
                           String plannedBy, Instant plannedAt, Cancellation cancellation, HandoverView handover) {

    public record Cancellation(String cancelledBy, Instant cancelledAt, String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HandoverView(Instant deliveredAt, Instant cutoff, String deliveredBy, String notes,
                               List<String> evidence, String recordedBy, Instant recordedAt, long total,
                               Map<String, Long> byEntity, Map<String, Long> byType, String packSha256,
                               Instant packCreatedAt, PackErasure erasure) {
    }

    public static DeliveryView of(Delivery d, Handover h, FrozenCounts counts) {
        return of(d, h, counts, null);
    }

    public static DeliveryView of(Delivery d, Handover h, FrozenCounts counts, PackErasure erasure) {
        PlanRequest.Place place = d.city() == null && d.country() == null ? null
                : new PlanRequest.Place(d.city(), d.country());
        Cancellation cancellation = d.cancelledAt() == null ? null
                : new Cancellation(d.cancelledBy(), d.cancelledAt(), d.cancelReason());
        HandoverView handover = h == null ? null : new HandoverView(h.deliveredAt(), h.cutoff(), h.deliveredBy(),
                h.notes(), h.evidence(), h.recordedBy(), h.recordedAt(), h.total(), counts.byEntity(), counts.byType(),
                h.packSha256(), h.packCreatedAt(), erasure);
        return new DeliveryView(d.id(), d.campaignId(), d.caseId(), d.entityId(), d.kind(),
                new PlanRequest.Recipient(d.recipientKind(), d.recipientName()), place, d.plannedFor(), d.status(),
                d.plannedBy(), d.plannedAt(), cancellation, handover);
    }
}
