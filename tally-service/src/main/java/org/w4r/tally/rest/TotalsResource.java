package org.w4r.tally.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.events.CampaignChanged;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.service.Campaigns;
import org.w4r.tally.service.TotalsService;
import org.w4r.tally.service.Views.*;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Campaign totals for staff, as JSON or, with {@code Accept: text/csv} (or {@code ?format=csv}), as CSV tables.
 * Every query is about the current campaign unless {@code ?campaign=} names another.
 */
@Path("/api/v1/totals")
@Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class TotalsResource {
    @Inject
    TotalsService totals;

    @Inject
    Campaigns campaigns;

    @Inject
    ReferenceData reference;

    @Context
    HttpHeaders headers;

    @GET
    public Response totals(@QueryParam("campaign") String campaignId,
                         @QueryParam("format") String format) {
        Totals t = totals.totals(campaigns.resolve(campaignId));
        if (!wantsCsv(format)) {
            return json(t);
        }
        List<List<Object>> rows = new ArrayList<>();
        t.cases().forEach(c -> rows.add(List.of(c.caseId(), nvl(c.name()), c.goal() == null ? "" : c.goal(), c.total(),
                c.delivered(), c.outstanding())));
        rows.add(List.of("", "(no case)", "", t.withoutCase(), "", ""));
        return Csv.table("totals-" + t.campaignId(),
                List.of("caseId", "name", "goal", "total", "delivered", "outstanding"), rows);
    }

    @GET
    @Path("/cases/{caseId}")
    public Response caseTotals(@PathParam("caseId") String caseId, @QueryParam("campaign") String campaignId,
                         @QueryParam("format") String format) {
        CaseDetail d = totals.caseDetail(campaigns.resolve(campaignId), caseId);
        if (!wantsCsv(format)) {
            return json(d);
        }
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("total", "", d.total()));
        long goal = d.goal() == null ? 0 : d.goal();
        rows.add(List.of("goal", "", goal));
        rows.add(List.of("delivered", "", d.delivered()));
        rows.add(List.of("outstanding", "", d.outstanding()));
        rowsOf(rows, "entity", d.byEntity());
        rowsOf(rows, "type", d.byType());
        rowsOf(rows, "mode", d.byMode());
        rowsOf(rows, "day", d.byDay());
        return Csv.table("case-" + caseId, List.of("dimension", "key", "total"), rows);
    }

    @GET
    @Path("/entities/{entityId}")
    public Response entityTotals(@PathParam("entityId") String entityId, @QueryParam("campaign") String campaignId,
                         @QueryParam("format") String format) {
        EntityDetail d = totals.entityDetail(campaigns.resolve(campaignId), entityId);
        if (!wantsCsv(format)) {
            return json(d);
        }
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("total", "", d.total()));
        rowsOf(rows, "case", d.byCase());
        rows.add(List.of("case", "(no case)", d.withoutCase()));
        rowsOf(rows, "type", d.byType());
        rowsOf(rows, "mode", d.byMode());
        rowsOf(rows, "day", d.byDay());
        return Csv.table("entity-" + entityId, List.of("dimension", "key", "total"), rows);
    }

    /** The case × entity matrix: one row per entity, one column per case of the campaign. */
    @GET
    @Path("/matrix")
    public Response matrix(@QueryParam("campaign") String campaignId,
                         @QueryParam("format") String format) {
        Matrix m = totals.matrix(campaigns.resolve(campaignId));
        if (!wantsCsv(format)) {
            return json(m);
        }
        List<String> header = new ArrayList<>(List.of("entityId"));
        header.addAll(m.cases());
        header.addAll(List.of("(no case)", "total"));
        List<List<Object>> rows = new ArrayList<>();
        for (MatrixRow r : m.rows()) {
            List<Object> row = new ArrayList<>(List.of(r.entityId()));
            row.addAll(r.cases().values());
            row.add(r.withoutCase());
            row.add(r.total());
            rows.add(row);
        }
        return Csv.table("matrix-" + m.campaignId(), header, rows);
    }

    /** The time series by day (UTC), optionally for one case ({@code ?caseId=}) and/or one entity ({@code ?entityId=}). */
    @GET
    @Path("/days")
    public Response days(@QueryParam("campaign") String campaignId, @QueryParam("caseId") String caseId,
                         @QueryParam("entityId") String entityId, @QueryParam("format") String format) {
        Days d = totals.days(campaigns.resolve(campaignId), blankToNull(caseId), blankToNull(entityId));
        if (!wantsCsv(format)) {
            return json(d);
        }
        List<List<Object>> rows = new ArrayList<>();
        d.days().forEach(day -> rows.add(List.of(day.day(), day.total())));
        return Csv.table("days-" + d.campaignId(), List.of("day", "total"), rows);
    }

    /** Two campaigns side by side: {@code ?with=<other>} (required), against {@code ?campaign=} or the current one. */
    @GET
    @Path("/compare")
    public Response compare(@QueryParam("campaign") String campaignId, @QueryParam("with") String other,
                            @QueryParam("format") String format) {
        if (other == null || other.isBlank()) {
            throw ProblemException.invalid("with", "name the campaign to compare with: ?with=<campaignId>");
        }
        Comparison c = totals.compare(List.of(campaigns.resolve(campaignId), campaigns.resolve(other)));
        if (!wantsCsv(format)) {
            return json(c);
        }
        List<String> header = new ArrayList<>(List.of("dimension", "key"));
        c.campaigns().forEach(h -> header.add(h.campaignId()));
        List<List<Object>> rows = new ArrayList<>();
        List<Object> total = new ArrayList<>(List.of("total", ""));
        c.campaigns().forEach(h -> total.add(h.total()));
        rows.add(total);
        for (ComparisonRow r : c.rows()) {
            List<Object> row = new ArrayList<>(List.of(r.dimension(), r.key()));
            row.addAll(r.values());
            rows.add(row);
        }
        return Csv.table("compare", header, rows);
    }

    /**
     * The campaign report's table "Number of actions for each individual and group", as the 2020 report prints it:
     * individual or group, country, estimated number of actions (with thousands separators), by name.
     */
    @GET
    @Path("/report/cases")
    public Response reportCases(@QueryParam("campaign") String campaignId,
                         @QueryParam("format") String format) {
        Totals t = totals.totals(campaigns.resolve(campaignId));
        List<List<Object>> rows = new ArrayList<>();
        t.cases().stream().sorted(Comparator.comparing(c -> nvl(c.name()).isEmpty() ? c.caseId() : c.name()))
                .forEach(c -> rows.add(List.of(c.name() == null ? c.caseId() : c.name(), country(c.caseId()),
                        thousands(c.total()))));
        if (!wantsCsv(format)) {
            return json(rows.stream().map(r -> Map.of("individualOrGroup", r.get(0), "country", r.get(1),
                    "estimatedNumberOfActions", r.get(2))).toList());
        }
        return Csv.table("report-cases-" + t.campaignId(),
                List.of("INDIVIDUAL OR GROUP", "COUNTRY", "ESTIMATED NUMBER OF ACTIONS"), rows);
    }

    /** The report's "Activities around the world": each reporting entity's name and its actions, by name. */
    @GET
    @Path("/report/entities")
    public Response reportEntities(@QueryParam("campaign") String campaignId,
                         @QueryParam("format") String format) {
        Totals t = totals.totals(campaigns.resolve(campaignId));
        List<List<Object>> rows = new ArrayList<>();
        t.entities().stream()
                .map(e -> List.<Object>of(reference.findEntity(e.entityId()).map(x -> x.name()).orElse(e.entityId()),
                        thousands(e.total())))
                .sorted(Comparator.comparing(r -> r.get(0).toString().toUpperCase(Locale.ROOT)))
                .forEach(r -> rows.add(List.of(r.get(0).toString().toUpperCase(Locale.ROOT), r.get(1))));
        if (!wantsCsv(format)) {
            return json(rows.stream().map(r -> Map.of("entity", r.get(0), "actions", r.get(1))).toList());
        }
        return Csv.table("report-entities-" + t.campaignId(), List.of("ENTITY", "ACTIONS"), rows);
    }

    private String country(String caseId) {
        return reference.findCase(caseId).map(c -> c.country())
                .map(iso -> iso.length() == 2 ? new Locale("", iso).getDisplayCountry(Locale.ENGLISH) : iso)
                .orElse("");
    }

    private static String thousands(long n) {
        return NumberFormat.getIntegerInstance(Locale.ENGLISH).format(n);
    }

    private static void rowsOf(List<List<Object>> rows, String dimension, Map<String, Long> values) {
        values.forEach((k, v) -> rows.add(List.of(dimension, k, v)));
    }

    private boolean wantsCsv(String format) {
        if (format != null) {
            if (format.equalsIgnoreCase("csv")) {
                return true;
            }
            if (format.equalsIgnoreCase("json")) {
                return false;
            }
            throw ProblemException.invalid("format", "format is csv or json");
        }
        return headers.getAcceptableMediaTypes().stream().findFirst()
                .map(t -> t.isCompatible(MediaType.valueOf(Csv.MEDIA_TYPE)) && !t.isWildcardType()).orElse(false);
    }

    private static Response json(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON).build();
    }

    private static String nvl(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
