package org.w4r.tally.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.tally.model.Handover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A case's deliveries from this service's own copy of the deliveries topic (ids, kinds, counts; never names). */
@ApplicationScoped
public class HandoverQueries {
    @Inject
    AgroalDataSource dataSource;

    public List<Handover> forCase(String campaignId, String caseId) {
        List<Handover> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select d.delivery_id, d.kind, d.status, d.changed_at, max(h.cutoff), sum(h.count)
                from delivery d left join handover_count h on h.delivery_id = d.delivery_id
                where d.campaign_id = ? and d.case_id = ?
                group by 1, 2, 3, 4 order by coalesce(max(h.cutoff), d.changed_at), 1""")) {
            ps.setString(1, campaignId);
            ps.setString(2, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long total = rs.getLong(6);
                    Long frozen = rs.wasNull() ? null : total;
                    result.add(new Handover(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5)), frozen));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the handovers", e);
        }
        return result;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
