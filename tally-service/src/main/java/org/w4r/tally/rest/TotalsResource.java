package org.w4r.tally.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.TallyQueries;
import org.w4r.tally.repository.TallyQueries.Dimension;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Campaign totals for staff. */
@Path("/api/v1/totals")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class TotalsResource {
    @Inject
    TallyQueries queries;

    @Inject
    ReferenceData reference;

    public record CaseTotal(String caseId, String name, Long goal, long total) {
    }

    public record EntityTotal(String entityId, long total) {
    }

    public record Totals(String campaignId, long total, long withoutCase, List<CaseTotal> cases,
                         List<EntityTotal> entities, Map<String, Long> types, Map<String, Long> modes) {
    }

    @GET
    public Totals totals(@QueryParam("campaign") String campaignId) {
        CampaignChanged campaign = campaignId == null
                ? reference.currentCampaign().orElseThrow(() -> new ProblemException(Problem.of(404,
                "no-current-campaign", "No current campaign", "no campaign is current; name one with ?campaign=")))
                : reference.findCampaign(campaignId).orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
        String id = campaign.campaignId();
        Map<String, Long> byCase = new TreeMap<>(queries.totalsBy(id, Dimension.CASE));
        long withoutCase = byCase.getOrDefault("", 0L);
        byCase.remove("");
        // every case of the campaign is listed, with 0 until its first action
        reference.cases().stream().filter(c -> id.equals(c.campaignId())).forEach(c -> byCase.putIfAbsent(c.caseId(), 0L));
        List<CaseTotal> cases = byCase.entrySet().stream()
                .map(e -> {
                    CaseChanged c = reference.findCase(e.getKey()).orElse(null);
                    return new CaseTotal(e.getKey(), c == null ? null : c.name(), c == null ? null : c.goal(), e.getValue());
                })
                .sorted(Comparator.comparingLong(CaseTotal::total).reversed().thenComparing(CaseTotal::caseId)).toList();
        List<EntityTotal> entities = queries.totalsBy(id, Dimension.ENTITY).entrySet().stream()
                .map(e -> new EntityTotal(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(EntityTotal::total).reversed().thenComparing(EntityTotal::entityId)).toList();
        long total = withoutCase + cases.stream().mapToLong(CaseTotal::total).sum();
        return new Totals(id, total, withoutCase, cases, entities,
                queries.totalsBy(id, Dimension.TYPE), queries.totalsBy(id, Dimension.MODE));
    }
}
