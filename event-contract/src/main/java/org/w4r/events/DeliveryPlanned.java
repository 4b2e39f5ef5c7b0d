package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery planned for a case: {@code kind} petition|solidarity, {@code recipientKind}
 * target-authority|embassy|rights-holder|family|other; {@code entityId} null when the delivery is for all entities.
 */
public record DeliveryPlanned(
        UUID eventId,
        UUID deliveryId,
        String campaignId,
        String caseId,
        String entityId,
        String kind,
        String recipientKind,
        String country,
        Instant plannedFor,
        Instant plannedAt) implements DeliveryEvent {
    public DeliveryPlanned {
        Events.requireDelivery(getClass(), eventId, deliveryId, campaignId, caseId);
        // what the schema requires (read-only review, 6 December 2026)
        Events.require("DeliveryPlanned", "kind", kind);
        Events.require("DeliveryPlanned", "recipientKind", recipientKind);
        Events.require("DeliveryPlanned", "plannedFor", plannedFor);
        Events.require("DeliveryPlanned", "plannedAt", plannedAt);
    }

}
