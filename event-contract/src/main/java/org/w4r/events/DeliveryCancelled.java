package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/** A planned delivery that will not happen. */
public record DeliveryCancelled(
        UUID eventId,
        UUID deliveryId,
        String campaignId,
        String caseId,
        Instant cancelledAt) implements DeliveryEvent {
    public DeliveryCancelled {
        Events.requireDelivery(getClass(), eventId, deliveryId, campaignId, caseId);
        Events.require("DeliveryCancelled", "cancelledAt", cancelledAt); // the schema requires it (read-only review, 6 December 2026)
    }

}
