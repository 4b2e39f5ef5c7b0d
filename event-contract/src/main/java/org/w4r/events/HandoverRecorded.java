package org.w4r.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A handover done, with the counts frozen at the cut-off: they never change afterwards. {@code byEntity} and
 * {@code byType} each sum to {@code total}; {@code entityId} null when the handover covers every entity.
 *
 * <p>Checked when built (a read-only review, 6 December 2026, found only three fields were): every field the schema
 * requires; {@code total} and every entry of {@code byEntity} and {@code byType} from 0 to
 * {@link Events#MAX_FROZEN_COUNT} (a negative or huge one made tally's sum of handovers overflow, and every dashboard
 * read with it fail), each breakdown summing to {@code total}; {@code deliveredAt} and {@code cutoff} at most
 * {@link Events#HANDOVER_AHEAD} ahead of the reader's clock (petition-service keeps the latest handover of a campaign
 * for its retention schedule: one dated years ahead postponed the anonymisation of its signers as long). An event that
 * fails is unreadable, and its consumers set it aside.
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
        Events.requireDelivery(getClass(), eventId, deliveryId, campaignId, caseId);
        String name = "HandoverRecorded";
        Events.require(name, "kind", kind);
        Events.require(name, "cutoff", cutoff);
        Events.require(name, "deliveredAt", deliveredAt);
        Events.require(name, "recordedAt", recordedAt);
        Events.requireNotAhead(name, "cutoff", cutoff, Events.HANDOVER_AHEAD);
        Events.requireNotAhead(name, "deliveredAt", deliveredAt, Events.HANDOVER_AHEAD);
        Events.requireFrozenCount(name, "total", total);
        Events.requireBreakdown(name, "byEntity", byEntity, total);
        Events.requireBreakdown(name, "byType", byType, total);
    }

}
