package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.ActionEvent;
import org.w4r.events.MessageReviewed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies a batch of stream events exactly once: the event ids go into {@code processed_event} (skipping those seen
 * before) in the same transaction as the rows they add, so redelivery and duplicates change nothing.
 */
@ApplicationScoped
public class LedgerWriter {
    @Inject
    AgroalDataSource dataSource;

    /** Adds one ledger row per new action event for a case; returns how many events were new. */
    @Transactional
    public int applyActions(List<ActionEvent> batch) {
        Map<UUID, ActionEvent> byId = new LinkedHashMap<>();
        batch.forEach(e -> byId.putIfAbsent(e.eventId(), e));
        if (byId.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection()) {
            Set<UUID> fresh = markProcessed(c, byId.keySet());
            List<ActionEvent> rows = fresh.stream().map(byId::get).filter(e -> e.caseId() != null)
                    .sorted(Comparator.comparing(ActionEvent::eventId)).toList();
            if (!rows.isEmpty()) {
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
                    ps.executeUpdate();
                }
            }
            return fresh.size();
        } catch (SQLException e) {
            throw Sql.failure("apply action events", e);
        }
    }

    /**
     * Keeps the latest decision per message by review time, so reviews arriving out of order (or a re-review) end in
     * the same state; returns how many events were new.
     */
    @Transactional
    public int applyReviews(List<MessageReviewed> batch) {
        Map<UUID, MessageReviewed> byId = new LinkedHashMap<>();
        batch.forEach(e -> byId.putIfAbsent(e.eventId(), e));
        if (byId.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection()) {
            Set<UUID> fresh = markProcessed(c, byId.keySet());
            // one row per message within the batch (an upsert may not touch a row twice), the latest review wins
            Map<UUID, MessageReviewed> latest = new TreeMap<>();
            for (UUID id : fresh) {
                MessageReviewed r = byId.get(id);
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
                        where message_review.reviewed_at <= excluded.reviewed_at""")) {
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
            return fresh.size();
        } catch (SQLException e) {
            throw Sql.failure("apply moderation events", e);
        }
    }

    private static Set<UUID> markProcessed(Connection c, Set<UUID> ids) throws SQLException {
        Set<UUID> fresh = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "insert into processed_event (event_id) select unnest(?::uuid[]) on conflict do nothing returning event_id")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.stream().sorted().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return fresh;
    }
}
