package org.w4r.tally.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.events.ActionEvent;
import org.w4r.events.Events;
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

    /**
     * The tables one counting writes to; constants, so no caller text ever reaches the SQL. The counts by country are a
     * column of the summary (migration V9), read as the views {@code tally_by_country} and {@code rebuild_by_country}.
     */
    public enum Tables {
        LIVE("tally", "tally_summary"),
        REBUILD("rebuild_tally", "rebuild_summary");

        public final String tally;
        public final String summary;

        Tables(String tally, String summary) {
            this.tally = tally;
            this.summary = summary;
        }
    }

    /** A row of the summary: what the live stream and the public counters read. */
    record SummaryKey(String campaignId, String caseId, String entityId) implements Comparable<SummaryKey> {
        private static final Comparator<SummaryKey> ORDER = Comparator.comparing(SummaryKey::campaignId)
                .thenComparing(SummaryKey::caseId).thenComparing(SummaryKey::entityId);

        static SummaryKey of(ActionEvent e) {
            return new SummaryKey(e.campaignId(), e.caseId() == null ? "" : e.caseId(), e.entityId());
        }

        @Override
        public int compareTo(SummaryKey o) {
            return ORDER.compare(this, o);
        }
    }

    /** What a batch adds to one summary row: its count, and that count by signer country ("" = unknown). */
    static final class SummaryChange {
        long count;
        final Map<String, Long> byCountry = new TreeMap<>();

        void add(ActionEvent e) {
            count += e.countChange();
            byCountry.merge(e.signerCountry() == null ? "" : e.signerCountry(), e.countChange(), Long::sum);
        }

        /**
         * A signature from France and the invalidation of one from Germany cancel out in the count, not by country:
         * the row changes if either does.
         */
        boolean changes() {
            byCountry.values().removeIf(v -> v == 0);
            return count != 0 || !byCountry.isEmpty();
        }

        String byCountryJson() {
            return Events.toJson(byCountry);
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
            Map<SummaryKey, SummaryChange> summary = new TreeMap<>();
            for (ActionEvent event : batch) {
                increments.merge(Cell.of(event), event.countChange(), Long::sum);
                summary.computeIfAbsent(SummaryKey.of(event), k -> new SummaryChange()).add(event);
            }
            increments.values().removeIf(v -> v == 0);
            upsert(connection, tables, increments);
            summary.values().removeIf(change -> !change.changes());
            upsertSummary(connection, tables, summary);
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

    /** The summary rows, each with its counts by country (one round trip). */
    private static void upsertSummary(Connection connection, Tables tables, Map<SummaryKey, SummaryChange> changes)
            throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into %1$s as s (campaign_id, case_id, entity_id, count, by_country)
                select campaign_id, case_id, entity_id, count, by_country::jsonb
                from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::text[])
                     as u (campaign_id, case_id, entity_id, count, by_country)
                on conflict (campaign_id, case_id, entity_id)
                do update set count = s.count + excluded.count, by_country = add_counts(s.by_country, excluded.by_country),
                              -- the public counters' "updated": when the count changed, not only its split by country
                              updated_at = case when excluded.count <> 0 then now() else s.updated_at end"""
                .formatted(tables.summary))) {
            Map<SummaryKey, Long> counts = new TreeMap<>();
            changes.forEach((key, change) -> counts.put(key, change.count));
            int next = bind(upsert, 1, counts, List.of(SummaryKey::campaignId, SummaryKey::caseId, SummaryKey::entityId), null);
            upsert.setArray(next, connection.createArrayOf("text",
                    changes.values().stream().map(SummaryChange::byCountryJson).toArray()));
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
