package org.w4r.tally;

import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.Statement;

/** Writes to tally_summary as another instance's consumer would, so the live view has something to learn of. */
final class SummaryRows {
    private SummaryRows() {
    }

    /** Adds {@code by} to the case's row (entity ai-france), creating it. */
    static void add(AgroalDataSource dataSource, String campaign, String caseId, long by) throws Exception {
        execute(dataSource, "insert into tally_summary (campaign_id, case_id, entity_id, count) values ('" + campaign
                + "', '" + caseId + "', 'ai-france', " + by + ") on conflict (campaign_id, case_id, entity_id) "
                + "do update set count = tally_summary.count + excluded.count");
    }

    static void delete(AgroalDataSource dataSource, String campaign) throws Exception {
        execute(dataSource, "delete from tally_summary where campaign_id = '" + campaign + "'");
    }

    static void execute(AgroalDataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
