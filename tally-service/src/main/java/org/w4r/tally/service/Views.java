package org.w4r.tally.service;

import com.fasterxml.jackson.annotation.JsonValue;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.csv.CsvTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answers of the totals queries: each is JSON, and each that is a table is also CSV ({@link CsvTable.Source}), so
 * the resource returns it and {@code @Produces} picks the form. Maps are ordered by key (days chronologically).
 */
public final class Views {
    private static final String NO_CASE = "(no case)";
    private static final String UNKNOWN = "(unknown)";

    private Views() {
    }

    /** What {@code delivered} means; the same on every answer that carries it. */
    static final String DELIVERED = "Actions handed to the authorities: the petition handovers, per entity the largest "
            + "frozen count, summed over the entities (solidarity messages are in messagesDelivered, never here)";
    static final String OUTSTANDING = "total − delivered, not below 0: the actions the authorities have not been handed";
    static final String MESSAGES_DELIVERED = "Solidarity messages handed to the person at risk and family: the "
            + "solidarity handovers, per entity the largest frozen count, summed over the entities";

    /**
     * {@code delivered} and {@code messagesDelivered} are two kinds of handover to two recipients and are never added
     * up: a petition handover freezes every action, the messages included, so their sum would count the messages twice
     * (as it did until a read-only review, 6 December 2026).
     */
    public record CaseTotal(String caseId, @Schema(nullable = true) String name, @Schema(nullable = true) Long goal,
                            long total, @Schema(description = DELIVERED) long delivered,
                            @Schema(description = OUTSTANDING) long outstanding,
                            @Schema(description = MESSAGES_DELIVERED) long messagesDelivered, long plannedDeliveries) {
    }

    public record EntityTotal(String entityId, long total) {
    }

    public record Totals(String campaignId, long total, long withoutCase, List<CaseTotal> cases,
                         List<EntityTotal> entities, Map<String, Long> types, Map<String, Long> modes)
            implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            // messagesDelivered last, so a sheet that reads the columns by position still finds the others
            cases.forEach(c -> rows.add(row(c.caseId(), c.name(), c.goal(), c.total(), c.delivered(), c.outstanding(),
                    c.messagesDelivered())));
            rows.add(row(null, NO_CASE, null, withoutCase, null, null, null));
            return new CsvTable("totals-" + campaignId,
                    List.of("caseId", "name", "goal", "total", "delivered", "outstanding", "messagesDelivered"), rows);
        }
    }

    public record CaseDetail(String campaignId, String caseId, @Schema(nullable = true) String name, long total,
                             @Schema(nullable = true) Long goal, @Schema(description = DELIVERED) long delivered,
                             @Schema(description = OUTSTANDING) long outstanding,
                             @Schema(description = MESSAGES_DELIVERED) long messagesDelivered,
                             long plannedDeliveries, Map<String, Long> byEntity, Map<String, Long> byType,
                             Map<String, Long> byMode, Map<String, Long> byDay) implements CsvTable.Source {
        /** The long form: {@code dimension,key,total}. */
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            rows.add(row("total", null, total));
            rows.add(row("goal", null, goal == null ? 0 : goal));
            rows.add(row("delivered", null, delivered));
            rows.add(row("outstanding", null, outstanding));
            rows.add(row("messagesDelivered", null, messagesDelivered));
            rowsOf(rows, "entity", byEntity);
            rowsOf(rows, "type", byType);
            rowsOf(rows, "mode", byMode);
            rowsOf(rows, "day", byDay);
            return new CsvTable("case-" + caseId, List.of("dimension", "key", "total"), rows);
        }
    }

    public record EntityDetail(String campaignId, String entityId, @Schema(nullable = true) String name, long total,
                               Map<String, Long> byCase, long withoutCase, Map<String, Long> byType,
                               Map<String, Long> byMode, Map<String, Long> byDay) implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            rows.add(row("total", null, total));
            rowsOf(rows, "case", byCase);
            rows.add(row("case", NO_CASE, withoutCase));
            rowsOf(rows, "type", byType);
            rowsOf(rows, "mode", byMode);
            rowsOf(rows, "day", byDay);
            return new CsvTable("entity-" + entityId, List.of("dimension", "key", "total"), rows);
        }
    }

    /** One entity's row of the case × entity matrix. */
    public record MatrixRow(String entityId, Map<String, Long> cases, long withoutCase, long total) {
    }

    public record Matrix(String campaignId, List<String> cases, List<MatrixRow> rows) implements CsvTable.Source {
        /** One row per entity, one column per case of the campaign. */
        @Override
        public CsvTable csv() {
            List<String> header = new ArrayList<>(List.of("entityId"));
            header.addAll(cases);
            header.addAll(List.of(NO_CASE, "total"));
            List<List<Object>> table = new ArrayList<>();
            for (MatrixRow r : rows) {
                List<Object> row = new ArrayList<>(List.of(r.entityId()));
                row.addAll(r.cases().values());
                row.add(r.withoutCase());
                row.add(r.total());
                table.add(row);
            }
            return new CsvTable("matrix-" + campaignId, header, table);
        }
    }

    public record DayTotal(String day, long total) {
    }

    public record Days(String campaignId, @Schema(nullable = true) String caseId,
                       @Schema(nullable = true) String entityId, List<DayTotal> days) implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            days.forEach(day -> rows.add(row(day.day(), day.total())));
            return new CsvTable("days-" + campaignId, List.of("day", "total"), rows);
        }
    }

    /** One country's actions: ISO 3166-1 alpha-2 and its English name. */
    public record CountryTotal(String country, String name, long total) {
    }

    /**
     * Actions by country, of the campaign or of one case: {@code by} "signer" (the signer's country, signatures that
     * gave one) or "entity" (the country of the entity that collected them). {@code unknown}: the actions without one,
     * so {@code total} is always the countries' sum plus {@code unknown}. Biggest first.
     */
    public record Countries(String campaignId, @Schema(nullable = true) String caseId, String by, long total,
                            long unknown, List<CountryTotal> countries) implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            countries.forEach(c -> rows.add(row(c.country(), c.name(), c.total())));
            rows.add(row(null, UNKNOWN, unknown));
            return new CsvTable(by + "-countries-" + campaignId + (caseId == null ? "" : "-" + caseId),
                    List.of("country", "name", "total"), rows);
        }
    }

    public record CampaignHead(String campaignId, @Schema(nullable = true) String name, long total, long withoutCase) {
    }

    /** One line of a side-by-side comparison: {@code values} in the order of {@code campaigns}. */
    public record ComparisonRow(String dimension, String key, List<Long> values) {
    }

    public record Comparison(List<CampaignHead> campaigns, List<ComparisonRow> rows) implements CsvTable.Source {
        /** {@code dimension,key,<campaign…>}, the totals first. */
        @Override
        public CsvTable csv() {
            List<String> header = new ArrayList<>(List.of("dimension", "key"));
            campaigns.forEach(h -> header.add(h.campaignId()));
            List<List<Object>> table = new ArrayList<>();
            List<Object> total = new ArrayList<>(List.of("total", ""));
            campaigns.forEach(h -> total.add(h.total()));
            table.add(total);
            for (ComparisonRow r : rows) {
                List<Object> row = new ArrayList<>(List.of(r.dimension(), r.key()));
                row.addAll(r.values());
                table.add(row);
            }
            return new CsvTable("compare", header, table);
        }
    }

    /** A row of the campaign report's cases table, as the 2020 report prints it (the count with thousands separators). */
    public record ReportCase(String individualOrGroup, String country, String estimatedNumberOfActions) {
    }

    /** The report's cases table; JSON is the bare list of rows. */
    @Schema(type = SchemaType.ARRAY, implementation = ReportCase.class)
    public record ReportCases(String campaignId, @JsonValue List<ReportCase> rows) implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            return new CsvTable("report-cases-" + campaignId,
                    List.of("INDIVIDUAL OR GROUP", "COUNTRY", "ESTIMATED NUMBER OF ACTIONS"),
                    rows.stream().map(r -> row(r.individualOrGroup(), r.country(), r.estimatedNumberOfActions())).toList());
        }
    }

    /** A row of the report's "Activities around the world": the entity's name in capitals and its actions. */
    public record ReportEntity(String entity, String actions) {
    }

    /** The report's entities table; JSON is the bare list of rows. */
    @Schema(type = SchemaType.ARRAY, implementation = ReportEntity.class)
    public record ReportEntities(String campaignId, @JsonValue List<ReportEntity> rows) implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            return new CsvTable("report-entities-" + campaignId, List.of("ENTITY", "ACTIONS"),
                    rows.stream().map(r -> row(r.entity(), r.actions())).toList());
        }
    }

    /** A table row; unlike {@code List.of}, it takes null (an empty cell). */
    private static List<Object> row(Object... cells) {
        return java.util.Arrays.asList(cells);
    }

    private static void rowsOf(List<List<Object>> rows, String dimension, Map<String, Long> values) {
        values.forEach((k, v) -> rows.add(row(dimension, k, v)));
    }
}
