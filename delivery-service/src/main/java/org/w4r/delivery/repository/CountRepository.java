package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.events.ActionType;

import java.time.Instant;

/** Counts of one case up to a cut-off (inclusive), summed from this service's own ledger of the stream. */
@ApplicationScoped
public class CountRepository {
    @Inject
    AgroalDataSource dataSource;

    /** Every action of the case (corrections included) taken at or before the cut-off; {@code entityId} null = all. */
    public FrozenCounts actionsUpTo(String campaignId, String caseId, String entityId, Instant cutoff) {
        return query("""
                select entity_id, action_type, sum(count_change) from action_ledger
                where campaign_id = ? and case_id = ? and occurred_at <= ? and (?::varchar is null or entity_id = ?)
                group by 1, 2 having sum(count_change) <> 0 order by 1, 2""", campaignId, caseId, entityId, cutoff);
    }

    /** Solidarity messages of the case whose latest moderation decision is 'approved', written at or before the cut-off. */
    public FrozenCounts approvedMessagesUpTo(String campaignId, String caseId, String entityId, Instant cutoff) {
        return query("""
                select entity_id, '%s', count(*) from message_review
                where campaign_id = ? and case_id = ? and occurred_at <= ? and (?::varchar is null or entity_id = ?)
                  and decision = 'approved'
                group by 1 order by 1""".formatted(ActionType.MESSAGE.code()), campaignId, caseId, entityId, cutoff);
    }

    private FrozenCounts query(String sql, String campaignId, String caseId, String entityId, Instant cutoff) {
        return Sql.run(dataSource, "count up to a cut-off", sql, Sql::frozenCounts, campaignId, caseId, cutoff, entityId,
                entityId);
    }
}
