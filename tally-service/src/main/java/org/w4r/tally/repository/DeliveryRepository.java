package org.w4r.tally.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** What has been handed over per case, from the handovers delivery-service announced. */
@ApplicationScoped
public class DeliveryRepository {
    @Inject
    AgroalDataSource dataSource;

    /**
     * Per case: the actions handed to the authorities (the petition kind), the solidarity messages handed to the person
     * at risk and family (the solidarity kind), and deliveries planned but neither handed over nor cancelled.
     */
    public record CaseDeliveries(long delivered, long messagesDelivered, long plannedDeliveries) {
        public static final CaseDeliveries NONE = new CaseDeliveries(0, 0, 0);
    }

    /**
     * A handover freezes the counts up to its cut-off, so a later handover of the same kind for the same entity
     * includes the earlier one: per kind, the largest frozen count of each entity, summed over the entities.
     *
     * <p>The kinds are kept apart, never added: a petition handover freezes every action of the case, its solidarity
     * messages included (delivery-service's {@code actionsUpTo}: the report's global petition is the case's total),
     * while a solidarity handover freezes the approved messages, so the same messages are in both. Summed over the
     * kinds, as until a read-only review of 6 December 2026, a case with 100 signatures and 50 messages showed 200
     * delivered of 150 and nothing outstanding however many actions came after. {@code delivered} is the petition
     * kind alone (what the authorities were handed, so {@code total − delivered} is what they have not yet seen);
     * {@code messagesDelivered} the solidarity kind. A handover of any other kind (none: the event schema requires
     * one of the two) is in neither.
     */
    public Map<String, CaseDeliveries> byCase(String campaignId) {
        Map<String, long[]> acc = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    select case_id, kind, sum(m) from (
                      select case_id, kind, entity_id, max(count) m from handover_count
                      where campaign_id = ? and kind in ('petition', 'solidarity')
                      group by 1, 2, 3) x group by 1, 2""")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        acc.computeIfAbsent(rs.getString(1), k -> new long[3])[
                                "petition".equals(rs.getString(2)) ? 0 : 1] = rs.getLong(3);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select case_id, count(*) from delivery where campaign_id = ? and status = 'planned' group by 1")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        acc.computeIfAbsent(rs.getString(1), k -> new long[3])[2] = rs.getLong(2);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the deliveries", e);
        }
        Map<String, CaseDeliveries> result = new HashMap<>();
        acc.forEach((k, v) -> result.put(k, new CaseDeliveries(v[0], v[1], v[2])));
        return result;
    }
}
