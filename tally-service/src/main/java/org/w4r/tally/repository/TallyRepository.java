package org.w4r.tally.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sums over the tally's cells (and its per case × entity summary). */
@ApplicationScoped
public class TallyRepository {
    @Inject
    AgroalDataSource dataSource;

    /** Totals of one campaign grouped by one dimension column; the key "" means "none" for case_id. */
    public Map<String, Long> totalsBy(String campaignId, Dimension dimension) {
        return totalsBy(campaignId, dimension, null, null);
    }

    /** As above, restricted to one case and/or one entity when given (caseId "" = actions without a case). */
    public Map<String, Long> totalsBy(String campaignId, Dimension dimension, String caseId, String entityId) {
        StringBuilder sql = new StringBuilder("select " + dimension.column + ", sum(count) from " + dimension.table
                + " where campaign_id = ?");
        List<String> args = new ArrayList<>(List.of(campaignId));
        if (caseId != null) {
            sql.append(" and case_id = ?");
            args.add(caseId);
        }
        if (entityId != null) {
            sql.append(" and entity_id = ?");
            args.add(entityId);
        }
        sql.append(" group by 1 having sum(count) <> 0 order by 1");
        Map<String, Long> totals = new LinkedHashMap<>();
        query(sql.toString(), args, rs -> totals.put(rs.getString(1), rs.getLong(2)));
        return totals;
    }

    /**
     * Totals of one campaign by case and one dimension, in one statement: {@code case → key → total} ("" = actions
     * without a case). What open data reads once per campaign, whatever the number of cases.
     */
    public Map<String, Map<String, Long>> totalsByCase(String campaignId, Dimension dimension) {
        Map<String, Map<String, Long>> totals = new LinkedHashMap<>();
        query("select case_id, " + dimension.column + ", sum(count) from " + dimension.table + " where campaign_id = ?"
                        + " group by 1, 2 having sum(count) <> 0 order by 1, 2", List.of(campaignId),
                rs -> totals.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3)));
        return totals;
    }

    /** case × entity of one campaign, from the summary. */
    public List<SummaryRow> summary(String campaignId) {
        List<SummaryRow> rows = new ArrayList<>();
        query("select campaign_id, case_id, entity_id, count, updated_at from tally_summary where campaign_id = ? and count <> 0"
                + " order by 2, 3", List.of(campaignId), rs -> rows.add(SummaryRow.of(rs)));
        return rows;
    }

    /** The whole summary: every campaign's case × entity counts, for the live view (hundreds to a few thousand rows). */
    public List<SummaryRow> summary() {
        return summaryWhere("", List.of());
    }

    /**
     * The summary rows of these campaigns only, zero counts included as {@link #summary()} has them: what the live
     * view re-reads when it is told which campaigns changed, so its cost does not grow with past campaigns.
     */
    public List<SummaryRow> summaryOf(Collection<String> campaignIds) {
        if (campaignIds.isEmpty()) {
            return List.of();
        }
        return summaryWhere(" where campaign_id in (" + String.join(", ", Collections.nCopies(campaignIds.size(), "?"))
                + ")", List.copyOf(campaignIds));
    }

    private List<SummaryRow> summaryWhere(String where, List<String> args) {
        List<SummaryRow> rows = new ArrayList<>();
        query("select campaign_id, case_id, entity_id, count, updated_at from tally_summary" + where, args,
                rs -> rows.add(SummaryRow.of(rs)));
        return rows;
    }

    public record SummaryRow(String campaignId, String caseId, String entityId, long count, Instant updatedAt) {
        static SummaryRow of(ResultSet rs) throws SQLException {
            return new SummaryRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                    rs.getTimestamp(5).toInstant());
        }
    }

    interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<String> args, RowHandler handler) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tally", e);
        }
    }

    /**
     * The columns a total can be grouped by, each read from the smallest table that has it; an enum so no caller text
     * ever reaches the SQL. {@code COUNTRY} is the signer's ("" = unknown).
     */
    public enum Dimension {
        CASE("case_id", "tally_summary"), ENTITY("entity_id", "tally_summary"), TYPE("action_type", "tally"),
        MODE("mode", "tally"), DAY("day", "tally"), COUNTRY("country", "tally_by_country");

        final String column;
        final String table;

        Dimension(String column, String table) {
            this.column = column;
            this.table = table;
        }
    }
}
