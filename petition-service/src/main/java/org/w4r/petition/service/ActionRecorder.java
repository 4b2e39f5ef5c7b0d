package org.w4r.petition.service;

import jakarta.inject.Inject;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.kit.tracing.TraceContext;
import org.w4r.petition.model.RecordedAction;

/**
 * What the services that record one counted action at a time share (messages, online actions, offline counts): the
 * rules that may refuse it before anything is written, and the one way it is announced once stored. Signatures are
 * written in groups ({@link GroupCommit}) and announce their own.
 */
abstract class ActionRecorder {
    @Inject
    ActionRules rules;

    @Inject
    ActionPublisher publisher;

    /** Announces {@code action}, stored in {@code work}, where and when it counts; answered as counted. */
    Recorded announce(UnitOfWork work, TraceContext trace, RecordedAction action, ActionType type, Mode mode,
                      long count) {
        publisher.recorded(work, trace, action.actionId, action.campaignId, action.caseId, action.entityId, type, mode,
                count, action.occurredAt, action.recordedAt);
        return Recorded.counted(action.caseId, action.actionId);
    }
}
