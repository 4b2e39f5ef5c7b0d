package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.delivery.model.CountedMessage;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.events.ActionType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Counts of one case up to a cut-off (inclusive), summed from this service's own ledger of the stream. */
@ApplicationScoped
public class CountRepository {
    @Inject
    AgroalDataSource dataSource;

    /** Every action of the case (corrections included) taken at or before the cut-off; {@code entityId} null = all. */
    public FrozenCounts actionsUpTo(String campaignId, String caseId, String entityId, Instant cutoff) {
        // a cell counts whole when its second ends at or before the cut-off; the cut-off's own second counts less the
        // changes it holds after the cut-off (kept with their microsecond): the same sum one row per action gave
        return Sql.run(dataSource, "count up to a cut-off", """
                with cut (at) as (select ?::timestamptz)
                select entity_id, action_type, sum(n) from (
                    select entity_id, action_type, case when at_second + interval '1 second' <= cut.at then count
                           else count - coalesce((select sum(d.change) from unnest(micros, changes) as d (micro, change)
                                                  where at_second + d.micro * interval '1 microsecond' > cut.at), 0)
                           end as n
                    from action_count, cut
                    where campaign_id = ? and case_id = ? and at_second <= cut.at
                      and (?::varchar is null or entity_id = ?)) cells
                group by 1, 2 having sum(n) <> 0 order by 1, 2""", Sql::frozenCounts, cutoff, campaignId, caseId,
                entityId, entityId);
    }

    /**
     * Solidarity messages of the case whose latest moderation decision is 'approved', written at or before the cut-off,
     * and not taken out of the counts (a bulk invalidation in petition-service; {@link #STILL_COUNTS}): what a
     * solidarity handover counts ({@link FrozenCounts#ofMessages}) and keeps the ids of, for its pack, from one read.
     */
    public List<CountedMessage> approvedMessagesUpTo(String campaignId, String caseId, String entityId, Instant cutoff) {
        return Sql.run(dataSource, "read the approved messages up to a cut-off",
                "select action_id, entity_id " + APPROVED_UP_TO + " order by action_id",
                query -> Sql.all(query, rs -> new CountedMessage(rs.getObject(1, UUID.class), rs.getString(2))),
                campaignId, caseId, cutoff, entityId, entityId);
    }

    /** How many {@link #approvedMessagesUpTo} holds, by entity, without reading each (the counts a team checks). */
    public FrozenCounts approvedMessageCounts(String campaignId, String caseId, String entityId, Instant cutoff) {
        return Sql.run(dataSource, "count the approved messages up to a cut-off",
                "select entity_id, '" + ActionType.MESSAGE.code() + "', count(*) " + APPROVED_UP_TO
                        + " group by 1 order by 1", Sql::frozenCounts, campaignId, caseId, cutoff, entityId, entityId);
    }

    /**
     * That a reviewed message was not out of the counts: the corrections it received (an invalidation's -1, put back by
     * its reversal's +1) do not sum below zero; {@code %s}: nothing, or a bound on the time they were recorded.
     */
    private static final String STILL_COUNTS = "coalesce((select sum(c.change) from message_correction c "
            + "where c.action_id = message_review.action_id%s), 0) >= 0";

    /** The messages a solidarity handover counts: campaign, case, cut-off and entity (null for all) bound in order. */
    private static final String APPROVED_UP_TO = """
            from message_review
            where campaign_id = ? and case_id = ? and occurred_at <= ? and (?::varchar is null or entity_id = ?)
              and decision = 'approved' and\s""" + STILL_COUNTS.formatted("");

    /**
     * For a handover recorded before its counted messages were kept (V9): the messages {@link #approvedMessagesUpTo}
     * counted as moderation stood at {@code asOf} (its record time), as near as reviews and corrections read now can
     * tell: approved by a review dated at or before it, and not out of the counts by the corrections recorded by then.
     * Its pack prints these only: petition-service serves its approved messages as they are when the pack is built,
     * and one still pending at the handover, approved since, is not in the frozen count (until a read-only review of
     * 6 December 2026 it was printed all the same).
     */
    public Set<UUID> approvedMessageIdsUpTo(String campaignId, String caseId, String entityId, Instant cutoff,
                                            Instant asOf) {
        return Sql.run(dataSource, "read the approved messages up to a cut-off", """
                select action_id from message_review
                where campaign_id = ? and case_id = ? and occurred_at <= ? and (?::varchar is null or entity_id = ?)
                  and decision = 'approved' and reviewed_at <= ? and %s""".formatted(
                        STILL_COUNTS.formatted(" and c.recorded_at <= ?")),
                query -> new HashSet<>(Sql.all(query, rs -> rs.getObject(1, UUID.class))),
                campaignId, caseId, cutoff, entityId, entityId, asOf.truncatedTo(ChronoUnit.MICROS),
                asOf.truncatedTo(ChronoUnit.MICROS));
    }
}
