package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.ActionEvent;
import org.w4r.events.MessageReviewed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies a batch of stream events exactly once with no bookkeeping row of its own: an action's ledger row is keyed by
 * its event id (an action already there is skipped), and a review only replaces a strictly older one, so applying an
 * event again, redelivered or re-published, changes nothing (docs/reliability.md).
 */
@ApplicationScoped
public class LedgerWriter {
    @Inject
    AgroalDataSource dataSource;

    /** Adds one ledger row per action event for a case not in the ledger yet; returns how many it added. */
    @Transactional
    public int applyActions(List<ActionEvent> batch) {
        Map<UUID, ActionEvent> byId = new TreeMap<>();
        batch.stream().filter(e -> e.caseId() != null).forEach(e -> byId.putIfAbsent(e.eventId(), e));
        // an action for no case has no effect here, so nothing to skip either
        if (byId.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection()) {
            // sorted by event id, so two batches holding the same events (a rebalance) lock them in the same order
            Collection<ActionEvent> rows = byId.values();
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into action_ledger (event_id, action_id, campaign_id, case_id, entity_id, action_type,
                                               occurred_at, count_change)
                    select * from unnest(?::uuid[], ?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                         ?::varchar[]::timestamptz[], ?::bigint[])
                    on conflict do nothing""")) {
                ps.setArray(1, c.createArrayOf("uuid", rows.stream().map(ActionEvent::eventId).toArray()));
                ps.setArray(2, c.createArrayOf("uuid", rows.stream().map(ActionEvent::actionId).toArray()));
                ps.setArray(3, c.createArrayOf("varchar", rows.stream().map(ActionEvent::campaignId).toArray()));
                ps.setArray(4, c.createArrayOf("varchar", rows.stream().map(ActionEvent::caseId).toArray()));
                ps.setArray(5, c.createArrayOf("varchar", rows.stream().map(ActionEvent::entityId).toArray()));
                ps.setArray(6, c.createArrayOf("varchar", rows.stream().map(e -> e.type().code()).toArray()));
                ps.setArray(7, c.createArrayOf("varchar",
                        rows.stream().map(e -> e.occurredAt().toString()).toArray()));
                ps.setArray(8, c.createArrayOf("bigint", rows.stream().map(ActionEvent::countChange).toArray()));
                return ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw Sql.failure("apply action events", e);
        }
    }

    /**
     * Keeps the latest decision per message by review time, so reviews arriving out of order (or a re-review) end in
     * the same state. A review replaces only a strictly older one: the stored review time never goes back, so a review
     * applied before can never replace anything again (the first of two reviews at the same instant stays).
     */
    @Transactional
    public void applyReviews(List<MessageReviewed> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            // one row per message within the batch (an upsert may not touch a row twice), the latest review wins
            Map<UUID, MessageReviewed> latest = new TreeMap<>();
            for (MessageReviewed r : batch) {
                latest.merge(r.actionId(), r, (a, b) -> b.reviewedAt().isAfter(a.reviewedAt()) ? b : a);
            }
            Collection<MessageReviewed> rows = latest.values();
            if (!rows.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into message_review (action_id, campaign_id, case_id, entity_id, decision, occurred_at,
                                                    reviewed_at)
                        select * from unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                             ?::varchar[]::timestamptz[], ?::varchar[]::timestamptz[])
                        on conflict (action_id) do update set decision = excluded.decision,
                            reviewed_at = excluded.reviewed_at, occurred_at = excluded.occurred_at
                        where message_review.reviewed_at < excluded.reviewed_at""")) {
                    ps.setArray(1, c.createArrayOf("uuid", rows.stream().map(MessageReviewed::actionId).toArray()));
                    ps.setArray(2, c.createArrayOf("varchar", rows.stream().map(MessageReviewed::campaignId).toArray()));
                    ps.setArray(3, c.createArrayOf("varchar", rows.stream().map(MessageReviewed::caseId).toArray()));
                    ps.setArray(4, c.createArrayOf("varchar", rows.stream().map(MessageReviewed::entityId).toArray()));
                    ps.setArray(5, c.createArrayOf("varchar", rows.stream().map(MessageReviewed::decision).toArray()));
                    ps.setArray(6, c.createArrayOf("varchar",
                            rows.stream().map(r -> r.occurredAt().toString()).toArray()));
                    ps.setArray(7, c.createArrayOf("varchar",
                            rows.stream().map(r -> r.reviewedAt().toString()).toArray()));
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw Sql.failure("apply moderation events", e);
        }
    }
}
