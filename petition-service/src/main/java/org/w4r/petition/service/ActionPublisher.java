package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.kit.tracing.TraceContext;

import java.time.Instant;
import java.util.UUID;

/** Announces accepted actions and corrections on the actions topic, in the command's transaction (the outbox). */
@ApplicationScoped
public class ActionPublisher {

    /** {@code trace}: the context of the request that recorded it, taken on its thread. */
    public void recorded(UnitOfWork work, TraceContext trace, UUID actionId, String campaignId, String caseId,
                         String entityId, ActionType type, Mode mode, long count, Instant occurredAt, Instant now) {
        ActionRecorded event = new ActionRecorded(UUID.randomUUID(), actionId, campaignId, caseId, entityId, type, mode,
                count, occurredAt, now);
        work.announce(Topics.ACTIONS, event.key(), event, trace);
    }

    public void corrected(UnitOfWork work, UUID actionId, String campaignId, String caseId, String entityId,
                          ActionType type, Mode mode, long delta, Instant occurredAt, Instant now) {
        ActionCorrected event = new ActionCorrected(UUID.randomUUID(), actionId, campaignId, caseId, entityId, type, mode,
                delta, occurredAt, now);
        work.announce(Topics.ACTIONS, event.key(), event);
    }
}
