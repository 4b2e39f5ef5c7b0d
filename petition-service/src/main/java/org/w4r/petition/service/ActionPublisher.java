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

    /** An action without a signer country (offline counts, messages, online actions): counted as unknown. */
    public void recorded(UnitOfWork work, TraceContext trace, UUID actionId, String campaignId, String caseId,
                         String entityId, ActionType type, Mode mode, long count, Instant occurredAt, Instant now) {
        recorded(work, trace, actionId, campaignId, caseId, entityId, type, mode, count, occurredAt, now, null);
    }

    /**
     * {@code trace}: the context of the request that recorded it, taken on its thread. {@code signerCountry}: the
     * signer's (upper-case ISO 3166-1 alpha-2), or null when unknown.
     */
    public void recorded(UnitOfWork work, TraceContext trace, UUID actionId, String campaignId, String caseId,
                         String entityId, ActionType type, Mode mode, long count, Instant occurredAt, Instant now,
                         String signerCountry) {
        ActionRecorded event = new ActionRecorded(UUID.randomUUID(), actionId, campaignId, caseId, entityId, type, mode,
                count, occurredAt, now, signerCountry);
        work.announce(Topics.ACTIONS, event.key(), event, trace);
    }

    /** A correction of an action without a signer country. */
    public void corrected(UnitOfWork work, UUID actionId, String campaignId, String caseId, String entityId,
                          ActionType type, Mode mode, long delta, Instant occurredAt, Instant now) {
        corrected(work, actionId, campaignId, caseId, entityId, type, mode, delta, occurredAt, now, null);
    }

    /** {@code signerCountry}: the corrected action's, so the change lands on the country it was counted under. */
    public void corrected(UnitOfWork work, UUID actionId, String campaignId, String caseId, String entityId,
                          ActionType type, Mode mode, long delta, Instant occurredAt, Instant now,
                          String signerCountry) {
        ActionCorrected event = new ActionCorrected(UUID.randomUUID(), actionId, campaignId, caseId, entityId, type, mode,
                delta, occurredAt, now, signerCountry);
        work.announce(Topics.ACTIONS, event.key(), event);
    }
}
