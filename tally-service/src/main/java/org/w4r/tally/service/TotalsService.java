package org.w4r.tally.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.validation.CountryCode;
import org.w4r.tally.repository.DeliveryRepository;
import org.w4r.tally.repository.DeliveryRepository.CaseDeliveries;
import org.w4r.tally.repository.TallyRepository;
import org.w4r.tally.repository.TallyRepository.Dimension;
import org.w4r.tally.repository.TallyRepository.SummaryRow;
import org.w4r.tally.service.Views.*;

import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds every view of the counts; the campaign's cases come from the read model so a case shows 0 before its first action. */
@ApplicationScoped
public class TotalsService {
    @Inject
    TallyRepository tally;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    ReferenceData reference;

    public Totals totals(CampaignChanged campaign) {
        String id = campaign.campaignId();
        Map<String, Long> byCase = new TreeMap<>(tally.totalsBy(id, Dimension.CASE));
        long withoutCase = byCase.getOrDefault("", 0L);
        byCase.remove("");
        casesOf(id).forEach(c -> byCase.putIfAbsent(c, 0L));
        Map<String, CaseDeliveries> delivered = deliveries.byCase(id);
        List<CaseTotal> cases = byCase.entrySet().stream()
                .map(e -> caseTotal(e.getKey(), e.getValue(), delivered.getOrDefault(e.getKey(), CaseDeliveries.NONE)))
                .sorted(Comparator.comparingLong(CaseTotal::total).reversed().thenComparing(CaseTotal::caseId)).toList();
        List<EntityTotal> entities = tally.totalsBy(id, Dimension.ENTITY).entrySet().stream()
                .map(e -> new EntityTotal(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(EntityTotal::total).reversed().thenComparing(EntityTotal::entityId)).toList();
        long total = withoutCase + cases.stream().mapToLong(CaseTotal::total).sum();
        return new Totals(id, total, withoutCase, cases, entities,
                tally.totalsBy(id, Dimension.TYPE), tally.totalsBy(id, Dimension.MODE));
    }

    private CaseTotal caseTotal(String caseId, long total, CaseDeliveries d) {
        CaseChanged c = reference.findCase(caseId).orElse(null);
        // outstanding against the petition kind only: what the authorities have not been handed (DeliveryRepository)
        return new CaseTotal(caseId, c == null ? null : c.name(), c == null ? null : c.goal(), total, d.delivered(),
                Math.max(0, total - d.delivered()), d.messagesDelivered(), d.plannedDeliveries());
    }

    public CaseDetail caseDetail(CampaignChanged campaign, String caseId) {
        String id = campaign.campaignId();
        Map<String, Long> byEntity = tally.totalsBy(id, Dimension.ENTITY, caseId, null);
        CaseChanged known = reference.findCase(caseId).filter(c -> id.equals(c.campaignId())).orElse(null);
        if (known == null && byEntity.isEmpty()) {
            throw ProblemException.notFound("case", caseId);
        }
        long total = byEntity.values().stream().mapToLong(Long::longValue).sum();
        CaseTotal head = caseTotal(caseId, total, deliveries.byCase(id).getOrDefault(caseId, CaseDeliveries.NONE));
        return new CaseDetail(id, caseId, head.name(), total, head.goal(), head.delivered(), head.outstanding(),
                head.messagesDelivered(), head.plannedDeliveries(), byEntity, tally.totalsBy(id, Dimension.TYPE, caseId, null),
                tally.totalsBy(id, Dimension.MODE, caseId, null), tally.totalsBy(id, Dimension.DAY, caseId, null));
    }

    public EntityDetail entityDetail(CampaignChanged campaign, String entityId) {
        String id = campaign.campaignId();
        Map<String, Long> byCase = new LinkedHashMap<>(tally.totalsBy(id, Dimension.CASE, null, entityId));
        var known = reference.findEntity(entityId).orElse(null);
        if (known == null && byCase.isEmpty()) {
            throw ProblemException.notFound("entity", entityId);
        }
        long total = byCase.values().stream().mapToLong(Long::longValue).sum();
        Long withoutCase = byCase.remove("");
        return new EntityDetail(id, entityId, known == null ? null : known.name(), total, byCase,
                withoutCase == null ? 0 : withoutCase, tally.totalsBy(id, Dimension.TYPE, null, entityId),
                tally.totalsBy(id, Dimension.MODE, null, entityId), tally.totalsBy(id, Dimension.DAY, null, entityId));
    }

    public Matrix matrix(CampaignChanged campaign) {
        String id = campaign.campaignId();
        TreeSet<String> cases = new TreeSet<>(casesOf(id));
        Map<String, Map<String, Long>> byEntity = new TreeMap<>();
        for (SummaryRow row : tally.summary(id)) {
            if (!row.caseId().isEmpty()) {
                cases.add(row.caseId());
            }
            byEntity.computeIfAbsent(row.entityId(), k -> new TreeMap<>()).merge(row.caseId(), row.count(), Long::sum);
        }
        List<MatrixRow> rows = new ArrayList<>();
        byEntity.forEach((entity, counts) -> {
            Map<String, Long> perCase = new LinkedHashMap<>();
            cases.forEach(c -> perCase.put(c, counts.getOrDefault(c, 0L)));
            rows.add(new MatrixRow(entity, perCase, counts.getOrDefault("", 0L),
                    counts.values().stream().mapToLong(Long::longValue).sum()));
        });
        return new Matrix(id, List.copyOf(cases), rows);
    }

    public Days days(CampaignChanged campaign, String caseId, String entityId) {
        String id = campaign.campaignId();
        List<DayTotal> days = tally.totalsBy(id, Dimension.DAY, caseId, entityId).entrySet().stream()
                .map(e -> new DayTotal(e.getKey(), e.getValue())).toList();
        return new Days(id, caseId, entityId, days);
    }

    /**
     * Two (or more) campaigns side by side: totals by type, mode, entity, and by day of the campaign (days since it
     * opened), so this year lines up against last year; cases differ between editions and are compared by total.
     */
    public Comparison compare(List<CampaignChanged> campaigns) {
        List<CampaignHead> heads = new ArrayList<>();
        Map<String, Map<String, Long[]>> rows = new LinkedHashMap<>();
        int n = campaigns.size();
        for (int i = 0; i < n; i++) {
            CampaignChanged campaign = campaigns.get(i);
            Totals t = totals(campaign);
            heads.add(new CampaignHead(campaign.campaignId(), campaign.name(), t.total(), t.withoutCase()));
            put(rows, "type", t.types(), i, n);
            put(rows, "mode", t.modes(), i, n);
            Map<String, Long> entities = new TreeMap<>();
            t.entities().forEach(e -> entities.put(e.entityId(), e.total()));
            put(rows, "entity", entities, i, n);
            Map<String, Long> cases = new TreeMap<>();
            t.cases().forEach(c -> cases.put(c.caseId(), c.total()));
            put(rows, "case", cases, i, n);
            LocalDate opened = campaign.opensAt() == null ? null : LocalDate.ofInstant(campaign.opensAt(), ZoneOffset.UTC);
            Map<String, Long> byDayOfCampaign = new TreeMap<>(Comparator.comparingLong(Long::parseLong));
            tally.totalsBy(campaign.campaignId(), Dimension.DAY).forEach((day, count) -> byDayOfCampaign.merge(
                    String.valueOf(opened == null ? 0 : ChronoUnit.DAYS.between(opened, LocalDate.parse(day))), count, Long::sum));
            put(rows, "day-of-campaign", byDayOfCampaign, i, n);
        }
        List<ComparisonRow> result = new ArrayList<>();
        rows.forEach((dimension, keys) -> {
            List<String> ordered = new ArrayList<>(keys.keySet());
            if (dimension.equals("day-of-campaign")) {
                ordered.sort(Comparator.comparingLong(Long::parseLong));
            } else {
                ordered.sort(Comparator.naturalOrder());
            }
            ordered.forEach(k -> result.add(new ComparisonRow(dimension, k, List.of(keys.get(k)))));
        });
        return new Comparison(heads, result);
    }

    /** Puts campaign {@code i}'s (of {@code n}) figures under {@code dimension}, a zero for every other campaign. */
    static void put(Map<String, Map<String, Long[]>> rows, String dimension, Map<String, Long> values, int i, int n) {
        Map<String, Long[]> keys = rows.computeIfAbsent(dimension, k -> new LinkedHashMap<>());
        values.forEach((k, v) -> keys.computeIfAbsent(k, x -> {
            Long[] zeros = new Long[n];
            java.util.Arrays.fill(zeros, 0L);
            return zeros;
        })[i] = v);
    }

    /**
     * The campaign report's table "Number of actions for each individual and group", as the 2020 report prints it:
     * individual or group, country, estimated number of actions (with thousands separators), by name.
     */
    public ReportCases reportCases(CampaignChanged campaign) {
        Totals t = totals(campaign);
        List<ReportCase> rows = t.cases().stream()
                .sorted(Comparator.comparing(c -> c.name() == null || c.name().isEmpty() ? c.caseId() : c.name()))
                .map(c -> new ReportCase(c.name() == null ? c.caseId() : c.name(), country(c.caseId()), thousands(c.total())))
                .toList();
        return new ReportCases(t.campaignId(), rows);
    }

    /** The report's "Activities around the world": each reporting entity's name (in capitals) and its actions, by name. */
    public ReportEntities reportEntities(CampaignChanged campaign) {
        Totals t = totals(campaign);
        List<ReportEntity> rows = t.entities().stream()
                .map(e -> new ReportEntity(reference.findEntity(e.entityId()).map(x -> x.name()).orElse(e.entityId())
                        .toUpperCase(Locale.ROOT), thousands(e.total())))
                .sorted(Comparator.comparing(ReportEntity::entity))
                .toList();
        return new ReportEntities(t.campaignId(), rows);
    }

    /** Actions by the signer's country (issue 16), of the campaign or of one case. */
    public Countries signerCountries(CampaignChanged campaign, String caseId) {
        String id = campaign.campaignId();
        requireCase(id, caseId);
        return countries(id, caseId, "signer", tally.totalsBy(id, Dimension.COUNTRY, caseId, null));
    }

    /**
     * Actions by the country of the entity that collected them: the entity's counts (the summary) under its country
     * from the reference data, so no count of its own; an entity without a country (a catch-all) is unknown.
     */
    public Countries entityCountries(CampaignChanged campaign, String caseId) {
        String id = campaign.campaignId();
        requireCase(id, caseId);
        Map<String, Long> byCountry = new TreeMap<>();
        tally.totalsBy(id, Dimension.ENTITY, caseId, null).forEach((entityId, count) -> byCountry.merge(
                reference.findEntity(entityId).map(e -> e.country()).filter(CountryCode.Codes::exists)
                        .map(CountryCode.Codes::normalise).orElse(""), count, Long::sum));
        return countries(id, caseId, "entity", byCountry);
    }

    private static Countries countries(String campaignId, String caseId, String by, Map<String, Long> byCountry) {
        long unknown = byCountry.getOrDefault("", 0L);
        List<CountryTotal> countries = byCountry.entrySet().stream().filter(e -> !e.getKey().isEmpty())
                .filter(e -> e.getValue() != 0)
                .map(e -> new CountryTotal(e.getKey(), countryName(e.getKey()), e.getValue()))
                .sorted(Comparator.comparingLong(CountryTotal::total).reversed().thenComparing(CountryTotal::country))
                .toList();
        return new Countries(campaignId, caseId, by, unknown + countries.stream().mapToLong(CountryTotal::total).sum(),
                unknown, countries);
    }

    /** A case named by {@code ?caseId=} must be in the campaign or counted in it, as for the case's own totals. */
    private void requireCase(String campaignId, String caseId) {
        if (caseId != null && reference.findCase(caseId).filter(c -> campaignId.equals(c.campaignId())).isEmpty()
                && !tally.totalsBy(campaignId, Dimension.CASE).containsKey(caseId)) {
            throw ProblemException.notFound("case", caseId);
        }
    }

    private String country(String caseId) {
        return reference.findCase(caseId).map(c -> c.country()).map(TotalsService::countryName).orElse("");
    }

    private static String countryName(String iso) {
        return iso.length() == 2 ? new Locale("", iso).getDisplayCountry(Locale.ENGLISH) : iso;
    }

    private static String thousands(long n) {
        return NumberFormat.getIntegerInstance(Locale.ENGLISH).format(n);
    }

    private List<String> casesOf(String campaignId) {
        return reference.cases().stream().filter(c -> campaignId.equals(c.campaignId())).map(CaseChanged::caseId).toList();
    }
}
