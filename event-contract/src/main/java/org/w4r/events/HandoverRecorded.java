package org.w4r.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A handover done, with the counts frozen at the cut-off: they never change afterwards. {@code byEntity} and
 * {@code byType} each sum to {@code total}; {@code entityId} null when the handover covers every entity.
 */
public record HandoverRecorded(
        UUID eventId,
        UUID deliveryId,
        String campaignId,
        String caseId,
        String entityId,
        String kind,
        Instant cutoff,
        Instant deliveredAt,
        long total,
        Map<String, Long> byEntity,
        Map<String, Long> byType,
        Instant recordedAt) implements DeliveryEvent {
    public HandoverRecorded {
        Events.requireDelivery(getClass(), eventId, deliveryId, caseId);
    }

}
