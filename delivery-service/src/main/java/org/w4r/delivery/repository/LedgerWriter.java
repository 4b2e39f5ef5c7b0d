package org.w4r.delivery.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.ActionCorrected;
import org.w4r.events.ActionEvent;
import org.w4r.events.ActionType;
import org.w4r.events.EventTime;
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
 * Applies a batch of stream events. Actions are added to the ledger's cells (one upsert per cell per batch); the batch
 * holds only actions not applied before: the kit's {@code BatchConsumer.consumeOnce} filtered them and records the
 * partitions' progress in this same transaction. A review only replaces a strictly older one, so applying a review
 * again, redelivered or re-published, changes nothing by itself (docs/reliability.md).
 */
@ApplicationScoped
public class LedgerWriter {
    @Inject
    AgroalDataSource dataSource;

    /**
     * Adds the actions for a case to their cells (case, entity, type, second: the count of the second, and each change
     * dated inside the second with its microsecond, so a cut-off inside a second counts exactly), and keeps each
     * correction of a solidarity message; returns how many cells it wrote.
     */
    @Transactional
    public int applyActions(List<ActionEvent> batch) {
        // an action for no case has no effect here
        List<ActionEvent> rows = batch.stream().filter(e -> e.caseId() != null).toList();
        if (rows.isEmpty()) {
            return 0;
        }
        correctMessages(rows);
        try (Connection c = dataSource.getConnection();
             // PostgreSQL cuts each time to its second and microsecond, as it rounded occurred_at before (from text);
             // an upsert may touch a row once per statement, so the batch is summed per cell first, and written in
             // key order, so two transactions on the same cells (a zombie's) lock them in the same order
             PreparedStatement ps = c.prepareStatement("""
                     insert into action_count as a (campaign_id, case_id, entity_id, action_type, at_second, count,
                                                    micros, changes)
                     select campaign_id, case_id, entity_id, action_type, at_second, sum(change),
                            coalesce(array_agg(micro order by micro) filter (where micro > 0), '{}'),
                            coalesce(array_agg(change order by micro) filter (where micro > 0), '{}')
                     from (select campaign_id, case_id, entity_id, action_type, date_trunc('second', at) as at_second,
                                  ((extract(epoch from at) * 1000000)::bigint % 1000000)::integer as micro, change
                           from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                       ?::varchar[]::timestamptz[], ?::bigint[])
                                as e (campaign_id, case_id, entity_id, action_type, at, change)) e
                     group by campaign_id, case_id, entity_id, action_type, at_second
                     order by campaign_id, case_id, entity_id, action_type, at_second
                     on conflict (campaign_id, case_id, entity_id, action_type, at_second) do update
                     set count = a.count + excluded.count, micros = a.micros || excluded.micros,
                         changes = a.changes || excluded.changes""")) {
            ps.setArray(1, c.createArrayOf("varchar", rows.stream().map(ActionEvent::campaignId).toArray()));
            ps.setArray(2, c.createArrayOf("varchar", rows.stream().map(ActionEvent::caseId).toArray()));
            ps.setArray(3, c.createArrayOf("varchar", rows.stream().map(ActionEvent::entityId).toArray()));
            ps.setArray(4, c.createArrayOf("varchar", rows.stream().map(e -> e.type().code()).toArray()));
            ps.setArray(5, c.createArrayOf("varchar", rows.stream().map(e -> EventTime.format(e.occurredAt())).toArray()));
            ps.setArray(6, c.createArrayOf("bigint", rows.stream().map(ActionEvent::countChange).toArray()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("apply action events", e);
        }
    }

    /**
     * Keeps the corrections of solidarity messages (an abuse rejection's, a bulk invalidation's and its reversal's) with
     * the time each was recorded, so a solidarity handover leaves out a message taken out of the counts, and the pack of
     * one recorded before V9 does as of its time (V8). An event already kept is not kept twice (the window filtered it;
     * the key says so too).
     */
    private void correctMessages(List<ActionEvent> batch) {
        List<ActionCorrected> corrections = batch.stream()
                .filter(e -> e instanceof ActionCorrected c && c.type() == ActionType.MESSAGE)
                .map(ActionCorrected.class::cast).toList();
        if (corrections.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into message_correction (event_id, action_id, change, recorded_at)
                select * from unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::varchar[]::timestamptz[])
                on conflict (event_id) do nothing""")) {
            ps.setArray(1, c.createArrayOf("uuid", corrections.stream().map(ActionCorrected::eventId).toArray()));
            ps.setArray(2, c.createArrayOf("uuid", corrections.stream().map(ActionCorrected::actionId).toArray()));
            ps.setArray(3, c.createArrayOf("bigint", corrections.stream().map(ActionCorrected::delta).toArray()));
            ps.setArray(4, c.createArrayOf("varchar",
                    corrections.stream().map(e -> EventTime.format(e.recordedAt())).toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure("apply message corrections", e);
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
