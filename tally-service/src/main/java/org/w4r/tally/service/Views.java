package org.w4r.tally.service;

import java.util.List;
import java.util.Map;

/** The JSON shapes of the totals endpoints. Maps are ordered by key (days chronologically). */
public final class Views {
    private Views() {
    }

    public record CaseTotal(String caseId, String name, Long goal, long total, long delivered, long outstanding,
                            long plannedDeliveries) {
    }

    public record EntityTotal(String entityId, long total) {
    }

    public record Totals(String campaignId, long total, long withoutCase, List<CaseTotal> cases,
                         List<EntityTotal> entities, Map<String, Long> types, Map<String, Long> modes) {
    }

    public record CaseDetail(String campaignId, String caseId, String name, long total, Long goal, long delivered,
                             long outstanding, long plannedDeliveries, Map<String, Long> byEntity,
                             Map<String, Long> byType, Map<String, Long> byMode, Map<String, Long> byDay) {
    }

    public record EntityDetail(String campaignId, String entityId, String name, long total, Map<String, Long> byCase,
                               long withoutCase, Map<String, Long> byType, Map<String, Long> byMode,
                               Map<String, Long> byDay) {
    }

    /** One entity's row of the case × entity matrix. */
    public record MatrixRow(String entityId, Map<String, Long> cases, long withoutCase, long total) {
    }

    public record Matrix(String campaignId, List<String> cases, List<MatrixRow> rows) {
    }

    public record DayTotal(String day, long total) {
    }

    public record Days(String campaignId, String caseId, String entityId, List<DayTotal> days) {
    }

    public record CampaignHead(String campaignId, String name, long total, long withoutCase) {
    }

    /** One line of a side-by-side comparison: {@code values} in the order of {@code campaigns}. */
    public record ComparisonRow(String dimension, String key, List<Long> values) {
    }

    public record Comparison(List<CampaignHead> campaigns, List<ComparisonRow> rows) {
    }
}
