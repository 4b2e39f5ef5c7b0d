package org.w4r.delivery.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.delivery.model.Delivery;
import org.w4r.delivery.model.DeliveryRecord;
import org.w4r.delivery.model.Handover;
import org.w4r.delivery.model.PackErasure;
import org.w4r.delivery.model.PreviewErasure;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A delivery as the API shows it; {@code handover} once delivered, {@code previewErasure} once previews taken of it
 * hold erased names. Absent fields are left out, never null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryView(UUID id, String campaignId, String caseId, String entityId,
                           @Schema(enumeration = {"petition", "solidarity"}) String kind,
                           PlanRequest.Recipient recipient, PlanRequest.Place place, Instant plannedFor,
                           @Schema(enumeration = {"planned", "delivered", "cancelled"}) String status,
                           String plannedBy, Instant plannedAt, Cancellation cancellation, HandoverView handover,
                           PreviewErasure previewErasure) {

    public record Cancellation(String cancelledBy, Instant cancelledAt, @Schema(nullable = true) String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HandoverView(Instant deliveredAt, Instant cutoff, String deliveredBy, String notes,
                               List<String> evidence, String recordedBy, Instant recordedAt, long total,
                               Map<String, Long> byEntity, Map<String, Long> byType, String packSha256,
                               Instant packCreatedAt, PackErasure erasure) {
    }

    static DeliveryView of(DeliveryRecord record) {
        Delivery d = record.delivery();
        Handover h = record.handover();
        PlanRequest.Place place = d.city() == null && d.country() == null ? null
                : new PlanRequest.Place(d.city(), d.country());
        Cancellation cancellation = d.cancelledAt() == null ? null
                : new Cancellation(d.cancelledBy(), d.cancelledAt(), d.cancelReason());
        HandoverView handover = h == null ? null : new HandoverView(h.deliveredAt(), h.cutoff(), h.deliveredBy(),
                h.notes(), h.evidence(), h.recordedBy(), h.recordedAt(), h.total(), record.counts().byEntity(),
                record.counts().byType(), h.packSha256(), h.packCreatedAt(), record.erasure());
        return new DeliveryView(d.id(), d.campaignId(), d.caseId(), d.entityId(), d.kind(),
                new PlanRequest.Recipient(d.recipientKind(), d.recipientName()), place, d.plannedFor(), d.status(),
                d.plannedBy(), d.plannedAt(), cancellation, handover, record.previewErasure());
    }
}
