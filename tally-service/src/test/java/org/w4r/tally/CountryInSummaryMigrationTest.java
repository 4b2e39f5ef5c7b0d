package org.w4r.tally;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w4r.kit.messaging.Failures;
import org.w4r.testsupport.PostgresServer;
import org.w4r.testsupport.ScratchDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade that moves the counts by country into the summary row (V9), on a database of the version before it:
 * every non-zero country row is read back through the view as it was, including a campaign × case × entity that has
 * country rows and no summary row; an instance of the version before cannot write countries, and is told so in a way
 * its consumer retries; and the summing function the consumer's upsert uses adds maps key by key.
 */
class CountryInSummaryMigrationTest {
    @RegisterExtension
    final ScratchDatabase database = new ScratchDatabase("tally_v9");
    Connection connection;

    @BeforeEach
    void upToV8() throws SQLException {
        database.migrate("8");
        connection = PostgresServer.shared().connect(database.url());
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    Flyway flyway(String target) {
        return database.flyway(target);
    }

    @Test
    void everyCountryRowIsKeptThroughTheUpgrade() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    insert into tally_summary (campaign_id, case_id, entity_id, count) values
                        ('w', 'a', 'fr', 7), ('w', 'a', 'mt', 1), ('w', '', 'fr', 2);
                    insert into tally_country (campaign_id, case_id, entity_id, country, count) values
                        ('w', 'a', 'fr', 'FR', 5), ('w', 'a', 'fr', 'DE', 2), ('w', 'a', 'fr', '', 0),
                        ('w', 'a', 'mt', '', 1), ('w', '', 'fr', 'FR', 2),
                        ('w', 'b', 'fr', 'FR', 1), ('w', 'b', 'fr', 'DE', -1)""");
        }
        flyway("latest").migrate();

        assertEquals(List.of("w||fr|FR|2", "w|a|fr|DE|2", "w|a|fr|FR|5", "w|a|mt||1", "w|b|fr|DE|-1", "w|b|fr|FR|1"),
                rows("select campaign_id, case_id, entity_id, country, count from tally_by_country order by 1, 2, 3, 4"));
        // the campaign × case × entity that had countries and no summary row has one now, at zero
        assertEquals(List.of("w||fr|2", "w|a|fr|7", "w|a|mt|1", "w|b|fr|0"),
                rows("select campaign_id, case_id, entity_id, count from tally_summary order by 1, 2, 3"));
        assertEquals(List.of("0"), rows("select count(*) from rebuild_by_country"));
    }

    /**
     * An instance of the version before, still running during a rolling upgrade, writes its countries as it did (this
     * is its statement): refused with an error its consumer retries (the partition waits), never one that would send
     * its batch to the dead letter.
     */
    @Test
    void aBatchOfTheVersionBeforeIsRefusedAsTransient() throws SQLException {
        flyway("latest").migrate();
        SQLException refused = assertThrows(SQLException.class, () -> {
            try (Statement s = connection.createStatement()) {
                s.execute("""
                        with by_country as (
                            insert into tally_country as c (campaign_id, case_id, entity_id, country, count)
                            select * from unnest(array['w'], array['a'], array['fr'], array['FR'], array[1::bigint])
                            on conflict (campaign_id, case_id, entity_id, country)
                            do update set count = c.count + excluded.count)
                        insert into tally_summary as s (campaign_id, case_id, entity_id, count)
                        select * from unnest(array['w'], array['a'], array['fr'], array[1::bigint])
                        on conflict (campaign_id, case_id, entity_id)
                        do update set count = s.count + excluded.count, updated_at = now()""");
            }
        });
        assertEquals("57W09", refused.getSQLState());
        assertTrue(Failures.isTransient(refused));
        assertEquals(List.of("0"), rows("select count(*) from tally_summary"));
        assertThrows(SQLException.class, () -> {
            try (Statement s = connection.createStatement()) {
                s.execute("truncate rebuild_tally, rebuild_summary, rebuild_country");
            }
        });
    }

    /**
     * A batch of the version before under way while the migration runs: it has written its countries and goes on to
     * the summary. The migration must wait for it, not deadlock with it (which aborted one of the two: the migration,
     * so the new version did not start, or the batch), and must carry its countries over.
     */
    @Test
    void aBatchOfTheVersionBeforeUnderWayNeitherDeadlocksWithTheMigrationNorIsLost() throws Exception {
        try (Connection old = PostgresServer.shared().connect(database.url()); Statement batch = old.createStatement()) {
            old.setAutoCommit(false);
            batch.execute("insert into tally_country (campaign_id, case_id, entity_id, country, count)"
                    + " values ('w', 'a', 'fr', 'FR', 1)");
            CompletableFuture<Void> migration = CompletableFuture.runAsync(() -> flyway("latest").migrate());
            await().atMost(Duration.ofSeconds(30)).until(() -> !rows("select 1 from pg_stat_activity where"
                    + " datname = current_database() and wait_event_type = 'Lock'").isEmpty() || migration.isDone());
            batch.execute("insert into tally_summary (campaign_id, case_id, entity_id, count) values ('w', 'a', 'fr', 1)");
            old.commit();
            migration.get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of("w|a|fr|FR|1"),
                rows("select campaign_id, case_id, entity_id, country, count from tally_by_country"));
        assertEquals(List.of("w|a|fr|1"), rows("select campaign_id, case_id, entity_id, count from tally_summary"));
    }

    @Test
    void addCountsAddsKeyByKeyAndLeavesZerosOut() throws SQLException {
        flyway("latest").migrate();
        assertEquals(List.of("{\"\": 1, \"DE\": 3, \"MT\": 1}"),
                rows("select add_counts('{\"FR\": 2, \"DE\": 1, \"\": 1}', '{\"FR\": -2, \"DE\": 2, \"MT\": 1}')::text"));
        assertEquals(List.of("{}"), rows("select add_counts('{\"FR\": 1}', '{\"FR\": -1}')::text"));
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    row.add(rs.getString(c) == null ? "" : rs.getString(c));
                }
                rows.add(String.join("|", row));
            }
        }
        return rows;
    }
}
