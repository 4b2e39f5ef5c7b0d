package org.w4r.petition.service;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.inject.Inject;
import org.w4r.events.ActionType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Mode;
import org.w4r.kit.tracing.TraceContext;
import org.w4r.petition.model.RecordedAction;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the services that record one counted action at a time share (messages, online actions, offline counts): the
 * rules that may refuse it before anything is written, the one way it is stored and announced, and the one way a
 * change of its count is announced. Signatures are written in groups ({@link GroupCommit}) and announce their own.
 */
abstract class ActionRecorder {
    @Inject
    ActionRules rules;

    @Inject
    ActionPublisher publisher;

    @Inject
    RetentionService retention;

    /**
     * Everything the rules can refuse an action of {@code entityId} for {@code caseId} at {@code occurredAt} for
     * ({@code campaignId}: see {@link ActionRules#check(String, String, String, Instant)}), checked now, before anything
     * is written; then the command that stores a new {@code row} where it counts, {@code now}, and announces it as
     * {@code count} actions of {@code type} in {@code mode}. The row is made in the command, so a transaction tried
     * again stores a fresh one; the trace is taken here, on the request's thread.
     */
    <A extends RecordedAction> Command<Recorded> record(String entityId, String caseId, String campaignId,
                                                        Instant occurredAt, Instant now, ActionType type, Mode mode,
                                                        long count, PanacheRepositoryBase<A, UUID> store, Supplier<A> row) {
        CampaignChanged campaign = rules.check(entityId, caseId, campaignId, occurredAt);
        TraceContext trace = TraceContext.current();
        return work -> {
            // an anonymised campaign's counts are final: a late report dated inside its window was taken and counted
            // (read-only review, 6 December 2026); asked here, in the transaction, as the rules above never wait
            retention.requireNotRetiredYet(campaign);
            A action = row.get();
            action.record(campaign.campaignId(), caseId, entityId, occurredAt, now);
            store.persist(action);
            publisher.recorded(work, trace, action.actionId, action.campaignId, action.caseId, action.entityId, type,
                    mode, count, action.occurredAt, action.recordedAt);
            return Recorded.counted(action.caseId, action.actionId);
        };
    }

    /** Announces that the stored {@code action} counts {@code delta} more (negative: taken back), as of {@code now}. */
    void announceCorrection(UnitOfWork work, RecordedAction action, ActionType type, Mode mode, long delta, Instant now) {
        publisher.corrected(work, action.actionId, action.campaignId, action.caseId, action.entityId, type, mode, delta,
                action.occurredAt, now);
    }
}
