package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/** A new ledger entry that changes an earlier action's count by {@code delta}; never an edit of the old one. */
public record ActionCorrected(
        UUID eventId,
        UUID actionId,
        String campaignId,
        String caseId,
        String entityId,
        ActionType type,
        Mode mode,
        long delta,
        Instant occurredAt,
        Instant recordedAt) implements ActionEvent {

    public ActionCorrected {
        Events.requireAction(this.getClass(), eventId, actionId, campaignId, entityId, type, mode, occurredAt);
        Events.requireCount("delta", delta, Long.MIN_VALUE);
    }

    @Override
    public long countChange() {
        return delta;
    }
}
