package org.w4r.petition.repository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w4r.testsupport.ScratchDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V28 on a database where an erasure and a retention run kept the domains' keyed hashes: the rows they left (no name)
 * lose it, every other row keeps it, and a selection by the domain then finds only the signers not erased.
 */
class ErasedDomainsMigrationTest {
    @RegisterExtension
    final ScratchDatabase database = new ScratchDatabase("erased_domains_v28");

    @Test
    void whatAnErasureOrARetentionRunLeftLosesItsDomainAndNothingElseDoes() throws SQLException {
        database.migrate("27");
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into signature (action_id, campaign_id, case_id, entity_id, email_hmac, name, country, occurred_at,
                                       recorded_at, email_domain_hmac)
                select gen_random_uuid(), 'w4r-demo', 'el-hiblu-3', 'ai-france', sha256(convert_to(who, 'UTF8')),
                       nullif(who, 'erased'), 'FR', now(), now(), sha256(convert_to('domain:ada-lovelace.name', 'UTF8'))
                from unnest(array['erased', 'Ada Lovelace']) who""")) {
            ps.executeUpdate();
        }
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into signature (action_id, campaign_id, case_id, entity_id, email_hmac, name, occurred_at,
                                       recorded_at)
                values (gen_random_uuid(), 'w4r-demo', 'el-hiblu-3', 'ai-malta', sha256('before V16'), 'Grace', now(), now())""")) {
            ps.executeUpdate();
        }

        database.migrate("latest");

        assertEquals(List.of("-|f", "Ada Lovelace|t", "Grace|f"), rows());
    }

    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "select concat_ws('|', coalesce(name, '-'), email_domain_hmac is not null) from signature order by name nulls first");
             ResultSet r = ps.executeQuery()) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }
}
