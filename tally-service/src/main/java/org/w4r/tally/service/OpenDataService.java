package org.w4r.tally.service;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.csv.CsvTable;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.TallyRepository;
import org.w4r.tally.repository.TallyRepository.Dimension;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The campaign's figures as open data (issue 16; e-petitions#458): anyone may read, cache and republish them. Counts
 * only, by case, type, mode, signer country and day, never by signer. A case is in the open data when its public
 * counter is on, it is not a draft and not on safety hold; any other case is absent, with the same answer whichever
 * the reason (a hold is not for the public to learn), and its actions are in no total: a campaign's total is the sum
 * of its open cases and of the actions that name no case.
 */
@ApplicationScoped
public class OpenDataService {
    @Inject
    TallyRepository tally;

    @Inject
    ReferenceData reference;

    @ConfigProperty(name = "w4r.tally.open-data.fresh-for", defaultValue = "PT10S")
    Duration freshFor;

    private RecentReads<String, Sums> recent;

    /**
     * An initializer (called once the fields are injected, as {@code @PostConstruct} would be): the registry is only
     * needed to register the reads' counter, so it is a parameter here, not a field.
     */
    @Inject
    void start(MeterRegistry registry) {
        // bounded by the campaigns that exist: an unknown id is refused before anything is read
        recent = new RecentReads<>(registry, "w4r.tally.open_data.reads",
                "Open data's reads of a campaign's sums from the database (at most one per campaign per fresh-for)",
                freshFor, 200);
    }

    public record CampaignSummary(String campaignId, String name, Instant opensAt, Instant closesAt, boolean current) {
    }

    /**
     * Every campaign; JSON is the bare list. A table for CSV: the list itself was written by the framework's fallback,
     * as the records' toString, under {@code Accept: text/csv} (found 6 December 2026).
     */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
            implementation = CampaignSummary.class)
    public record Campaigns(@JsonValue List<CampaignSummary> campaigns) implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            return new CsvTable("open-data-campaigns", List.of("campaignId", "name", "opensAt", "closesAt", "current"),
                    campaigns.stream().<List<Object>>map(c -> java.util.Arrays.asList(c.campaignId(), c.name(),
                            text(c.opensAt()), text(c.closesAt()), c.current())).toList());
        }

        private static String text(Instant instant) {
            return instant == null ? null : instant.toString();
        }
    }

    public record OpenCase(String caseId, String name, String country, Long goal, long total) {
    }

    /**
     * {@code byCountry}: by the signer's country (ISO 3166-1 alpha-2); {@code unknownCountry}: actions with none
     * (offline counts, letters, signatures given without a country), so the two sum to {@code total}.
     */
    public record CampaignData(String campaignId, String name, Instant opensAt, Instant closesAt, long total,
                               long withoutCase, List<OpenCase> cases, Map<String, Long> byType,
                               Map<String, Long> byMode, Map<String, Long> byCountry, long unknownCountry)
            implements CsvTable.Source {
        /** The long form, as every per-dimension CSV of the tally: {@code dimension,key,total}. */
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            rows.add(List.of("total", "", total));
            cases.forEach(c -> rows.add(List.of("case", c.caseId(), c.total())));
            rows.add(List.of("case", "", withoutCase));
            dimensions(rows, byType, byMode, byCountry, unknownCountry);
            return new CsvTable("open-data-" + campaignId, List.of("dimension", "key", "total"), rows);
        }
    }

    public record CaseData(String campaignId, String caseId, String name, String country, Long goal, long total,
                           Map<String, Long> byType, Map<String, Long> byMode, Map<String, Long> byCountry,
                           long unknownCountry) implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            rows.add(List.of("total", "", total));
            dimensions(rows, byType, byMode, byCountry, unknownCountry);
            return new CsvTable("open-data-" + caseId, List.of("dimension", "key", "total"), rows);
        }
    }

    public record Day(LocalDate day, long count, long cumulative) {
    }

    public record CaseHistory(String campaignId, String caseId, String name, long total, List<Day> days)
            implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            List<List<Object>> rows = new ArrayList<>();
            days.forEach(d -> rows.add(List.of(d.day().toString(), d.count(), d.cumulative())));
            return new CsvTable("open-data-" + caseId + "-days", List.of("day", "count", "cumulative"), rows);
        }
    }

    /** One campaign's figure in a comparison, by the same key in every campaign. */
    public record Row(String dimension, String key, List<Long> totals) {
    }

    public record Comparison(List<CampaignSummary> campaigns, List<Long> totals, List<Row> rows)
            implements CsvTable.Source {
        @Override
        public CsvTable csv() {
            List<String> header = new ArrayList<>(List.of("dimension", "key"));
            campaigns.forEach(c -> header.add(c.campaignId()));
            List<List<Object>> out = new ArrayList<>();
            List<Object> total = new ArrayList<>(List.of("total", ""));
            total.addAll(totals);
            out.add(total);
            rows.forEach(r -> {
                List<Object> row = new ArrayList<>(List.of(r.dimension(), r.key()));
                row.addAll(r.totals());
                out.add(row);
            });
            return new CsvTable("open-data-compare", header, out);
        }
    }

    /** The long form's rows by type, mode and signer country (the unknown country as key ""). */
    static void dimensions(List<List<Object>> rows, Map<String, Long> byType, Map<String, Long> byMode,
                           Map<String, Long> byCountry, long unknownCountry) {
        byType.forEach((k, v) -> rows.add(List.of("type", k, v)));
        byMode.forEach((k, v) -> rows.add(List.of("mode", k, v)));
        byCountry.forEach((k, v) -> rows.add(List.of("country", k, v)));
        rows.add(List.of("country", "", unknownCountry));
    }

    /** Every campaign, newest first. */
    public Campaigns campaigns() {
        return new Campaigns(reference.campaigns().stream().map(OpenDataService::summary)
                .sorted(Comparator.comparing(CampaignSummary::opensAt, Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(CampaignSummary::campaignId)).toList());
    }

    public CampaignData campaign(String campaignId) {
        return campaign(campaignOf(campaignId), sums(campaignId));
    }

    /** The campaign's answer from sums already read, so a caller that needs more of them reads them once. */
    private CampaignData campaign(CampaignChanged campaign, Sums sums) {
        String campaignId = campaign.campaignId();
        List<OpenCase> cases = new ArrayList<>();
        Map<String, Long> byType = new TreeMap<>();
        Map<String, Long> byMode = new TreeMap<>();
        Map<String, Long> byCountry = new TreeMap<>();
        for (CaseChanged c : openCases(campaignId, sums)) {
            long total = sum(sums.of(Dimension.TYPE, c.caseId()), byType);
            sum(sums.of(Dimension.MODE, c.caseId()), byMode);
            sum(sums.of(Dimension.COUNTRY, c.caseId()), byCountry);
            cases.add(new OpenCase(c.caseId(), c.name(), c.country(), c.goal(), total));
        }
        // actions that name no case (offline counts of an event, letters to no one case) are in no case's figures
        long withoutCase = sum(sums.of(Dimension.TYPE, ""), byType);
        sum(sums.of(Dimension.MODE, ""), byMode);
        sum(sums.of(Dimension.COUNTRY, ""), byCountry);
        cases.sort(Comparator.comparingLong(OpenCase::total).reversed().thenComparing(OpenCase::caseId));
        long total = withoutCase + cases.stream().mapToLong(OpenCase::total).sum();
        Long unknown = byCountry.remove("");
        return new CampaignData(campaignId, campaign.name(), campaign.opensAt(), campaign.closesAt(), total, withoutCase,
                cases, byType, byMode, byCountry, unknown == null ? 0 : unknown);
    }

    public CaseData caseData(String campaignId, String caseId) {
        Sums sums = sumsOfKnown(campaignId, caseId);
        CaseChanged c = openCase(campaignId, caseId, sums);
        Map<String, Long> byType = new TreeMap<>(sums.of(Dimension.TYPE, caseId));
        Map<String, Long> byCountry = new TreeMap<>(sums.of(Dimension.COUNTRY, caseId));
        Long unknown = byCountry.remove("");
        return new CaseData(campaignId, caseId, c.name(), c.country(), c.goal(),
                byType.values().stream().mapToLong(Long::longValue).sum(), byType,
                new TreeMap<>(sums.of(Dimension.MODE, caseId)), byCountry, unknown == null ? 0 : unknown);
    }

    /** The case's actions per day (UTC) with the running total; days without actions are not listed. */
    public CaseHistory history(String campaignId, String caseId) {
        Sums sums = sumsOfKnown(campaignId, caseId);
        CaseChanged c = openCase(campaignId, caseId, sums);
        List<Day> days = new ArrayList<>();
        long cumulative = 0;
        for (Map.Entry<String, Long> day : new TreeMap<>(sums.of(Dimension.DAY, caseId)).entrySet()) {
            cumulative += day.getValue();
            days.add(new Day(LocalDate.parse(day.getKey()), day.getValue(), cumulative));
        }
        return new CaseHistory(campaignId, caseId, c.name(), cumulative, days);
    }

    /**
     * Campaigns side by side (this year against last year): totals by type, mode and day of the campaign (days since
     * it opened, so the editions line up), over their open data only. Cases differ between editions: each campaign's
     * cases are in its own {@link #campaign} answer.
     */
    public Comparison compare(List<String> campaignIds) {
        List<CampaignSummary> heads = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        Map<String, Map<String, Long[]>> rows = new TreeMap<>();
        int n = campaignIds.size();
        for (int i = 0; i < n; i++) {
            CampaignChanged campaign = campaignOf(campaignIds.get(i));
            // one read of the sums for the campaign's answer and its days: read twice (as until a read-only review, 6
            // December 2026), the cache could expire between the two, and the days came from a later state than the
            // totals beside them
            Sums sums = sums(campaign.campaignId());
            CampaignData data = campaign(campaign, sums);
            heads.add(summary(campaign));
            totals.add(data.total());
            TotalsService.put(rows, "type", data.byType(), i, n);
            TotalsService.put(rows, "mode", data.byMode(), i, n);
            TotalsService.put(rows, "country", data.byCountry(), i, n);
            LocalDate opened = campaign.opensAt() == null ? null : LocalDate.ofInstant(campaign.opensAt(), ZoneOffset.UTC);
            Map<String, Long> byDay = new TreeMap<>();
            // the cases the campaign's answer counted, not decided again: a hold in between would mix two states
            List<String> caseIds = new ArrayList<>(data.cases().stream().map(OpenCase::caseId).toList());
            caseIds.add("");
            for (String caseId : caseIds) {
                sums.of(Dimension.DAY, caseId).forEach((day, count) -> byDay.merge(
                        String.valueOf(opened == null ? 0 : ChronoUnit.DAYS.between(opened, LocalDate.parse(day))),
                        count, Long::sum));
            }
            TotalsService.put(rows, "day-of-campaign", byDay, i, n);
        }
        List<Row> result = new ArrayList<>();
        for (String dimension : List.of("type", "mode", "country", "day-of-campaign")) {
            // whichever campaign named a key first, in key order; days of campaign by number: days before the campaign
            // opened are negative, and zero-padded strings ("-0003" before "-0010") put those out of order
            Map<String, Long[]> keys = rows.getOrDefault(dimension, Map.of());
            List<String> ordered = new ArrayList<>(keys.keySet());
            ordered.sort(dimension.equals("day-of-campaign") ? Comparator.comparingLong(Long::parseLong)
                    : Comparator.naturalOrder());
            ordered.forEach(key -> result.add(new Row(dimension, key, List.of(keys.get(key)))));
        }
        return new Comparison(heads, totals, result);
    }

    /**
     * A campaign's sums by case for each dimension open data shows. They are read in four grouped statements and kept
     * {@code w4r.tally.open-data.fresh-for} (default PT10S), so an anonymous flood that passes public caches costs the
     * database at most four statements per campaign per period, whatever the rate, the number of cases or the
     * number of 304s. Which cases are open is not kept: it is decided from the reference data on every request, so a
     * hold takes a case out at once.
     */
    record Sums(Map<Dimension, Map<String, Map<String, Long>>> byCase) {
        static final List<Dimension> READ = List.of(Dimension.TYPE, Dimension.MODE, Dimension.COUNTRY, Dimension.DAY);

        Map<String, Long> of(Dimension dimension, String caseId) {
            return byCase.get(dimension).getOrDefault(caseId, Map.of());
        }

        long total(String caseId) {
            return of(Dimension.TYPE, caseId).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Sums sums(String campaignId) {
        return recent.get(campaignId, id -> {
            Map<Dimension, Map<String, Map<String, Long>>> byCase = new EnumMap<>(Dimension.class);
            Sums.READ.forEach(d -> byCase.put(d, tally.totalsByCase(id, d)));
            return new Sums(byCase);
        });
    }

    private static long sum(Map<String, Long> values, Map<String, Long> into) {
        values.forEach((k, v) -> into.merge(k, v, Long::sum));
        return values.values().stream().mapToLong(Long::longValue).sum();
    }

    private CampaignChanged campaignOf(String campaignId) {
        return reference.findCampaign(campaignId).orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
    }

    private List<CaseChanged> openCases(String campaignId, Sums sums) {
        return reference.cases().stream().filter(c -> campaignId.equals(c.campaignId())
                        && PublicCounterRule.shows(c, sums.total(c.caseId())))
                .sorted(Comparator.comparing(CaseChanged::caseId)).toList();
    }

    /**
     * The campaign's sums, once the campaign is known here: the sums are cached per campaign, so a request for a
     * campaign that does not exist must not reach them. Until a read-only review (6 December
     * 2026) each such anonymous request ran the four grouped statements and took a cache entry before its 404, so a
     * caller inventing campaign ids could drain the pool the consumers share.
     */
    private Sums sumsOfKnown(String campaignId, String caseId) {
        campaignOf(campaignId);
        // read for an unknown case id too: bounded all the same (one cache entry per campaign that exists), and a
        // 404 for an id nobody uses that came at once, while a held, draft or switched-off case's came after the
        // statements, told by its time that a case exists under that id (a security review, 6 December 2026)
        Sums sums = sums(campaignId);
        if (reference.findCase(caseId).filter(c -> campaignId.equals(c.campaignId())).isEmpty()) {
            throw noOpenData(campaignId, caseId);
        }
        return sums;
    }

    private static ProblemException noOpenData(String campaignId, String caseId) {
        return new ProblemException(Problem.of(404, "no-open-data", "No open data",
                "campaign '" + campaignId + "' has no open data for case '" + caseId + "'").with("caseId", caseId));
    }

    private CaseChanged openCase(String campaignId, String caseId, Sums sums) {
        campaignOf(campaignId);
        return reference.findCase(caseId).filter(c -> campaignId.equals(c.campaignId())
                        && PublicCounterRule.shows(c, sums.total(caseId)))
                .orElseThrow(() -> noOpenData(campaignId, caseId));
    }

    private static CampaignSummary summary(CampaignChanged c) {
        return new CampaignSummary(c.campaignId(), c.name(), c.opensAt(), c.closesAt(), c.current());
    }
}
