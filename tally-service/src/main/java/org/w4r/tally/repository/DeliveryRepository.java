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

    /** Per case: actions delivered, and deliveries planned but neither handed over nor cancelled. */
    public record CaseDeliveries(long delivered, long plannedDeliveries) {
        public static final CaseDeliveries NONE = new CaseDeliveries(0, 0);
    }

    /**
     * A handover freezes the counts up to its cut-off, so a later handover of the same kind for the same entity
     * includes the earlier one: delivered = per kind and entity the largest frozen count, summed.
     */
    public Map<String, CaseDeliveries> byCase(String campaignId) {
        Map<String, long[]> acc = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    select case_id, sum(m) from (
                      select case_id, kind, entity_id, max(count) m from handover_count where campaign_id = ?
                      group by 1, 2, 3) x group by 1""")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        acc.computeIfAbsent(rs.getString(1), k -> new long[2])[0] = rs.getLong(2);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select case_id, count(*) from delivery where campaign_id = ? and status = 'planned' group by 1")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        acc.computeIfAbsent(rs.getString(1), k -> new long[2])[1] = rs.getLong(2);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the deliveries", e);
        }
        Map<String, CaseDeliveries> result = new HashMap<>();
        acc.forEach((k, v) -> result.put(k, new CaseDeliveries(v[0], v[1])));
        return result;
    }
}
