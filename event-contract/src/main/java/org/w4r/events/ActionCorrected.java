package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A new ledger entry that changes an earlier action's count by {@code delta}; never an edit of the old one. It carries
 * the corrected action's signer country, so the change lands on the same country as the action did.
 */
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
        Instant recordedAt,
        String signerCountry) implements ActionEvent {

    public ActionCorrected {
        Events.requireAction(this.getClass(), eventId, actionId, campaignId, entityId, type, mode, occurredAt,
                recordedAt, signerCountry);
        Events.requireCount("delta", delta, Long.MIN_VALUE);
    }

    /** A correction of an action whose signer's country is unknown. */
    public ActionCorrected(UUID eventId, UUID actionId, String campaignId, String caseId, String entityId,
                           ActionType type, Mode mode, long delta, Instant occurredAt, Instant recordedAt) {
        this(eventId, actionId, campaignId, caseId, entityId, type, mode, delta, occurredAt, recordedAt, null);
    }

    @Override
    public long countChange() {
        return delta;
    }
}
