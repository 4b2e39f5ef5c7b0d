package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.kit.outbox.Outbox;

import java.time.Instant;
import java.util.UUID;

/** Announces accepted actions and corrections on the actions topic, in the caller's transaction (the outbox). */
@ApplicationScoped
public class ActionLedger {
    @Inject
    Outbox outbox;

    public void recorded(UUID actionId, String campaignId, String caseId, String entityId, ActionType type, Mode mode,
                         long count, Instant occurredAt, Instant now) {
        ActionRecorded event = new ActionRecorded(UUID.randomUUID(), actionId, campaignId, caseId, entityId, type, mode,
                count, occurredAt, now);
        outbox.addAtCommit(Topics.ACTIONS, event.key(), event);
    }

    public void corrected(UUID actionId, String campaignId, String caseId, String entityId, ActionType type, Mode mode,
                          long delta, Instant occurredAt, Instant now) {
        ActionCorrected event = new ActionCorrected(UUID.randomUUID(), actionId, campaignId, caseId, entityId, type, mode,
                delta, occurredAt, now);
        outbox.addAtCommit(Topics.ACTIONS, event.key(), event);
    }
}
