package org.w4r.tally.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.DeliveryCancelled;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.DeliveryPlanned;
import org.w4r.events.HandoverRecorded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * Keeps what delivery-service announces: deliveries and the counts each handover froze. Gets each event once: the
 * kit's {@code BatchConsumer.consumeOnce} filters what was applied before, in the same transaction as the change.
 */
@ApplicationScoped
public class DeliveryLedgerService {
    @Inject
    AgroalDataSource dataSource;

    @Transactional
    public void apply(DeliveryEvent event) {
        try (Connection c = dataSource.getConnection()) {
            if (event instanceof DeliveryPlanned p) {
                upsertDelivery(c, p.deliveryId(), p.campaignId(), p.caseId(), p.kind(), "planned", false);
            } else if (event instanceof HandoverRecorded h) {
                handover(c, h);
            } else if (event instanceof DeliveryCancelled x) {
                upsertDelivery(c, x.deliveryId(), x.campaignId(), x.caseId(), null, "cancelled", false);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply a delivery event", e);
        }
    }

    private static void handover(Connection c, HandoverRecorded h) throws SQLException {
        upsertDelivery(c, h.deliveryId(), h.campaignId(), h.caseId(), h.kind(), "handed-over", true);
        Map<String, Long> byEntity = h.byEntity() == null || h.byEntity().isEmpty()
                ? Map.of(h.entityId() == null ? "" : h.entityId(), h.total())
                : h.byEntity();
        try (PreparedStatement ps = c.prepareStatement("""
                insert into handover_count (event_id, delivery_id, campaign_id, case_id, kind, entity_id, count, cutoff)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
            for (Map.Entry<String, Long> e : byEntity.entrySet()) {
                ps.setObject(1, h.eventId());
                ps.setObject(2, h.deliveryId());
                ps.setString(3, h.campaignId());
                ps.setString(4, h.caseId());
                ps.setString(5, h.kind() == null ? "" : h.kind());
                ps.setString(6, e.getKey());
                ps.setLong(7, e.getValue());
                ps.setTimestamp(8, h.cutoff() == null ? null : Timestamp.from(h.cutoff()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A handover wins over any other status; a cancellation or plan never overwrites a handover. */
    private static void upsertDelivery(Connection c, java.util.UUID id, String campaignId, String caseId, String kind,
                                       String status, boolean force) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into delivery (delivery_id, campaign_id, case_id, kind, status, changed_at) values (?, ?, ?, ?, ?, ?)
                on conflict (delivery_id) do update set status = case
                    when ? or delivery.status = 'planned' then excluded.status else delivery.status end,
                  kind = coalesce(delivery.kind, excluded.kind), changed_at = excluded.changed_at""")) {
            ps.setObject(1, id);
            ps.setString(2, campaignId);
            ps.setString(3, caseId);
            ps.setString(4, kind);
            ps.setString(5, status);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.setBoolean(7, force);
            ps.executeUpdate();
        }
    }
}
