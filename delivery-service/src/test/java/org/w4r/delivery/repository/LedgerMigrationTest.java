package org.w4r.delivery.repository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w4r.delivery.model.FrozenCounts;
import org.w4r.testsupport.ScratchDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V5 on a database that holds a ledger of one row per action (as V4 left it): the cells it makes answer every cut-off
 * exactly as the old rows did, and the event ids of the old rows are kept for the kit's first window.
 */
class LedgerMigrationTest {
    private static final String CAMPAIGN = "w4r-demo";

    @RegisterExtension
    final ScratchDatabase database = new ScratchDatabase("ledger_v5");

    @Test
    void theCellsAnswerEveryCutoffAsTheRowsDid() throws SQLException {
        database.migrate("4");
        Instant second = Instant.parse("2026-11-30T10:15:30Z");
        Random random = new Random(2020);
        List<UUID> eventIds = new ArrayList<>();
        List<Instant> cutoffs = new ArrayList<>(List.of(second.minusSeconds(1), second, second.plusSeconds(3)));
        try (Connection c = database.dataSource().getConnection(); PreparedStatement insert = c.prepareStatement("""
                insert into action_ledger (event_id, action_id, campaign_id, case_id, entity_id, action_type, occurred_at,
                                           count_change) values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < 400; i++) {
                // four seconds; a fifth of the actions on a whole second, the rest anywhere inside one
                Instant at = second.plusSeconds(random.nextInt(4))
                        .plus(random.nextInt(5) == 0 ? 0 : random.nextInt(1_000_000), ChronoUnit.MICROS);
                UUID eventId = UUID.randomUUID();
                eventIds.add(eventId);
                insert.setObject(1, eventId);
                insert.setObject(2, UUID.randomUUID());
                insert.setString(3, CAMPAIGN);
                insert.setString(4, random.nextInt(10) == 0 ? "other-case" : "el-hiblu-3");
                insert.setString(5, List.of("ai-france", "ai-malta", "international-members").get(random.nextInt(3)));
                insert.setString(6, List.of("signature", "letter").get(random.nextInt(2)));
                insert.setTimestamp(7, Timestamp.from(at));
                // now and then a correction (a negative change at its action's time)
                insert.setLong(8, random.nextInt(8) == 0 ? -1 - random.nextInt(3) : 1 + random.nextInt(20));
                insert.addBatch();
                cutoffs.add(at);
                cutoffs.add(at.minus(1, ChronoUnit.MICROS));
            }
            insert.executeBatch();
        }
        List<TreeMap<String, Long>> before = new ArrayList<>();
        for (Instant cutoff : cutoffs) {
            before.add(rowsUpTo(cutoff, null));
        }
        TreeMap<String, Long> malta = rowsUpTo(second.plus(1_500_000, ChronoUnit.MICROS), "ai-malta");
        long seconds = number("""
                select count(distinct (campaign_id, case_id, entity_id, action_type, date_trunc('second', occurred_at)))
                from action_ledger""");

        database.migrate("latest");

        CountRepository counts = new CountRepository();
        counts.dataSource = database.dataSource();
        for (int i = 0; i < cutoffs.size(); i++) {
            assertEquals(before.get(i), cells(counts.actionsUpTo(CAMPAIGN, "el-hiblu-3", null, cutoffs.get(i))),
                    "at " + cutoffs.get(i));
        }
        assertEquals(malta, cells(counts.actionsUpTo(CAMPAIGN, "el-hiblu-3", "ai-malta",
                second.plus(1_500_000, ChronoUnit.MICROS))));
        assertEquals(seconds, number("select count(*) from action_count"), "one cell per case, entity, type and second");
        assertEquals(eventIds.size(), number("select count(*) from processed_event"), "event ids kept for the window");
        assertEquals(0, number("select count(*) from pg_tables where tablename = 'action_ledger'"), "ledger dropped");
    }

    /** The old query (V4's CountRepository) over the old rows: entity/type → count. */
    private TreeMap<String, Long> rowsUpTo(Instant cutoff, String entityId) throws SQLException {
        TreeMap<String, Long> result = new TreeMap<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("""
                select entity_id, action_type, sum(count_change) from action_ledger
                where campaign_id = ? and case_id = ? and occurred_at <= ? and (?::varchar is null or entity_id = ?)
                group by 1, 2 having sum(count_change) <> 0 order by 1, 2""")) {
            ps.setString(1, CAMPAIGN);
            ps.setString(2, "el-hiblu-3");
            ps.setTimestamp(3, Timestamp.from(cutoff));
            ps.setString(4, entityId);
            ps.setString(5, entityId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return result;
    }

    private static TreeMap<String, Long> cells(FrozenCounts counts) {
        TreeMap<String, Long> result = new TreeMap<>();
        counts.cells().forEach(cell -> result.put(cell.entityId() + "/" + cell.type(), cell.count()));
        return result;
    }

    private long number(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
