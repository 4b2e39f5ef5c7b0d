package org.w4r.tally.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.ActionEvent;
import org.w4r.tally.repository.MilestoneRepository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Adds the aggregated increments of a batch of events to the counts (the cells, the per case × entity summary and its
 * split by signer country) in one transaction. The batch holds only events not applied before: the kit's
 * {@code BatchConsumer.consumeOnce} (or the reconcile's window) filtered them and records the partition's progress in
 * this same transaction. Rows are upserted in key order so that concurrent batches cannot deadlock. The reconcile job
 * runs the same code against its own scratch tables ({@link Tables#REBUILD}).
 */
@ApplicationScoped
public class CountingService {
    @Inject
    AgroalDataSource dataSource;

    @Inject
    Milestones milestones;

    /** A cell of the tally: the finest grain every total is summed from. */
    public record Cell(String campaignId, String caseId, String entityId, String type, String mode, LocalDate day)
            implements Comparable<Cell> {
        private static final Comparator<Cell> ORDER = Comparator.comparing(Cell::campaignId).thenComparing(Cell::caseId)
                .thenComparing(Cell::entityId).thenComparing(Cell::type).thenComparing(Cell::mode).thenComparing(Cell::day);

        static Cell of(ActionEvent e) {
            return new Cell(e.campaignId(), e.caseId() == null ? "" : e.caseId(), e.entityId(), e.type().code(),
                    e.mode().code(), LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC));
        }

        @Override
        public int compareTo(Cell o) {
            return ORDER.compare(this, o);
        }
    }

    /** The tables one counting writes to; constants, so no caller text ever reaches the SQL. */
    public enum Tables {
        LIVE("tally", "tally_summary", "tally_country"),
        REBUILD("rebuild_tally", "rebuild_summary", "rebuild_country");

        public final String tally;
        public final String summary;
        public final String country;

        Tables(String tally, String summary, String country) {
            this.tally = tally;
            this.summary = summary;
            this.country = country;
        }
    }

    /** A row of the summary: what the live stream and the public counters read. */
    record SummaryKey(String campaignId, String caseId, String entityId) implements Comparable<SummaryKey> {
        private static final Comparator<SummaryKey> ORDER = Comparator.comparing(SummaryKey::campaignId)
                .thenComparing(SummaryKey::caseId).thenComparing(SummaryKey::entityId);

        @Override
        public int compareTo(SummaryKey o) {
            return ORDER.compare(this, o);
        }
    }

    /** A row of the counts by signer country; country "" = unknown. */
    record CountryKey(String campaignId, String caseId, String entityId, String country)
            implements Comparable<CountryKey> {
        private static final Comparator<CountryKey> ORDER = Comparator.comparing(CountryKey::campaignId)
                .thenComparing(CountryKey::caseId).thenComparing(CountryKey::entityId)
                .thenComparing(CountryKey::country);

        static CountryKey of(ActionEvent e) {
            return new CountryKey(e.campaignId(), e.caseId() == null ? "" : e.caseId(), e.entityId(),
                    e.signerCountry() == null ? "" : e.signerCountry());
        }

        @Override
        public int compareTo(CountryKey o) {
            return ORDER.compare(this, o);
        }
    }

    /** Returns the number of events applied. */
    @Transactional
    public int apply(List<ActionEvent> batch) {
        return apply(batch, Tables.LIVE);
    }

    @Transactional
    public int apply(List<ActionEvent> batch, Tables tables) {
        if (batch.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection()) {
            Map<Cell, Long> increments = new TreeMap<>();
            Map<CountryKey, Long> byCountry = new TreeMap<>();
            for (ActionEvent event : batch) {
                increments.merge(Cell.of(event), event.countChange(), Long::sum);
                byCountry.merge(CountryKey.of(event), event.countChange(), Long::sum);
            }
            increments.values().removeIf(v -> v == 0);
            upsert(connection, tables, increments);
            Map<SummaryKey, Long> summary = new TreeMap<>();
            increments.forEach((cell, count) -> summary.merge(
                    new SummaryKey(cell.campaignId(), cell.caseId(), cell.entityId()), count, Long::sum));
            upsertSummary(connection, tables, summary, byCountry);
            if (tables == Tables.LIVE) {
                // the live totals only: a rebuild's scratch tables never announce anything
                milestones.check(summary.keySet().stream()
                        .map(k -> new MilestoneRepository.CaseKey(k.campaignId(), k.caseId()))
                        .collect(java.util.stream.Collectors.toSet()));
            }
            return batch.size();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply events to the tally", e);
        }
    }

    private static void upsert(Connection connection, Tables tables, Map<Cell, Long> increments) throws SQLException {
        if (increments.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into %1$s as t (campaign_id, case_id, entity_id, action_type, mode, day, count)
                select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::date[], ?::bigint[])
                on conflict (campaign_id, case_id, entity_id, action_type, mode, day)
                do update set count = t.count + excluded.count""".formatted(tables.tally))) {
            bind(upsert, 1, increments, List.of(Cell::campaignId, Cell::caseId, Cell::entityId, Cell::type, Cell::mode),
                    cell -> java.sql.Date.valueOf(cell.day()));
            upsert.executeUpdate();
        }
    }

    /**
     * The summary and the counts by country in one statement (one round trip): the country rows ride in a
     * data-modifying CTE. Either can be empty while the other is not (a signature from France and the invalidation of
     * one from Germany, for one case and entity, cancel out in the summary but not by country).
     */
    private static void upsertSummary(Connection connection, Tables tables, Map<SummaryKey, Long> increments,
                                      Map<CountryKey, Long> byCountry) throws SQLException {
        increments.values().removeIf(v -> v == 0);
        byCountry.values().removeIf(v -> v == 0);
        if (increments.isEmpty() && byCountry.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                with by_country as (
                    insert into %2$s as c (campaign_id, case_id, entity_id, country, count)
                    select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[])
                    on conflict (campaign_id, case_id, entity_id, country)
                    do update set count = c.count + excluded.count)
                insert into %1$s as s (campaign_id, case_id, entity_id, count)
                select * from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[])
                on conflict (campaign_id, case_id, entity_id)
                do update set count = s.count + excluded.count, updated_at = now()"""
                .formatted(tables.summary, tables.country))) {
            int next = bind(upsert, 1, byCountry,
                    List.of(CountryKey::campaignId, CountryKey::caseId, CountryKey::entityId, CountryKey::country), null);
            bind(upsert, next, increments, List.of(SummaryKey::campaignId, SummaryKey::caseId, SummaryKey::entityId), null);
            upsert.executeUpdate();
        }
    }

    /**
     * Binds rows as the arrays {@code unnest(...)} reads, one array a column from {@code first} on: the text columns,
     * then the day ({@code date[]}) when given, then the counts ({@code bigint[]}). Returns the next parameter index.
     * One round trip per statement, whatever the batch size.
     */
    private static <K> int bind(PreparedStatement statement, int first, Map<K, Long> rows, List<Function<K, String>> texts,
                                Function<K, java.sql.Date> day) throws SQLException {
        Connection connection = statement.getConnection();
        int i = first;
        for (Function<K, String> text : texts) {
            statement.setArray(i++, connection.createArrayOf("varchar", rows.keySet().stream().map(text).toArray()));
        }
        if (day != null) {
            statement.setArray(i++, connection.createArrayOf("date", rows.keySet().stream().map(day).toArray()));
        }
        statement.setArray(i++, connection.createArrayOf("bigint", rows.values().toArray()));
        return i;
    }
}
