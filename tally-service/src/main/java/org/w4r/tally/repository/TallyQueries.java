package org.w4r.tally.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sums over the tally's cells. */
@ApplicationScoped
public class TallyQueries {
    @Inject
    AgroalDataSource dataSource;

    /** Totals of one campaign grouped by one dimension column; the key "" means "none" for case_id. */
    public Map<String, Long> totalsBy(String campaignId, Dimension dimension) {
        String sql = "select " + dimension.column + ", sum(count) from tally where campaign_id = ? group by 1 order by 1";
        Map<String, Long> totals = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    totals.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tally", e);
        }
        return totals;
    }

    /** The columns a total can be grouped by; an enum so no caller text ever reaches the SQL. */
    public enum Dimension {
        CASE("case_id"), ENTITY("entity_id"), TYPE("action_type"), MODE("mode"), DAY("day");

        final String column;

        Dimension(String column) {
            this.column = column;
        }
    }
}
