package org.w4r.events;

import java.time.Instant;
import java.util.UUID;

/** One accepted action for one case (a "sign for all" submission gives one per case). */
public record ActionRecorded(
        UUID eventId,
        UUID actionId,
        String campaignId,
        String caseId,
        String entityId,
        ActionType type,
        Mode mode,
        long count,
        Instant occurredAt,
        Instant recordedAt,
        String signerCountry) implements ActionEvent {

    public ActionRecorded {
        Events.requireAction(this.getClass(), eventId, actionId, campaignId, entityId, type, mode, occurredAt,
                recordedAt, signerCountry);
        Events.requireCount("count", count, 1);
    }

    /** An action whose signer's country is unknown (an offline count, a letter, an event from before countries). */
    public ActionRecorded(UUID eventId, UUID actionId, String campaignId, String caseId, String entityId,
                          ActionType type, Mode mode, long count, Instant occurredAt, Instant recordedAt) {
        this(eventId, actionId, campaignId, caseId, entityId, type, mode, count, occurredAt, recordedAt, null);
    }

    @Override
    public long countChange() {
        return count;
    }
}
