package org.w4r.tally.dashboard;

import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.CaseChanged;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.tally.service.Campaigns;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the dashboard page needs besides the totals: who is signed in, where the other services are, the cases. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {
    @Inject
    CurrentCaller caller;

    @Inject
    DashboardConfig config;

    @Inject
    DashboardSignIn signIn;

    @Inject
    ReferenceData reference;

    @Inject
    Campaigns campaigns;

    @Inject
    HandoverQueries handovers;

    public record Me(String principal, String role, String entityId) {
    }

    /** {@code oidc} is null when staff sign in by pasting a staff token. */
    public record Services(String caseService, String petitionService, String deliveryService,
                           DashboardSignIn.Oidc oidc) {
    }

    public record CaseInfo(String caseId, String name, String country, String targetAuthority, String scope,
                           String localEntityId, Long goal, String status, CaseChanged.Hold hold) {
    }

    public record CampaignInfo(String campaignId, String name, Instant opensAt, Instant closesAt, boolean current) {
    }

    /** The campaign shown, the one before it (for "this campaign vs the previous one"), and its cases with holds. */
    public record CampaignCases(CampaignInfo campaign, CampaignInfo previous, List<CaseInfo> cases,
                                Map<String, String> entityNames) {
    }

    /** Any valid token: the page picks its navigation by role (the APIs enforce the roles anyway). */
    @GET
    @Path("/me")
    @Authenticated
    public Me me() {
        Caller c = caller.get();
        return new Me(c.principal(), c.role(), c.entityId());
    }

    /** Public: base URLs and how to sign in, so the page knows both before anyone signs in; no secret. */
    @GET
    @Path("/dashboard/config")
    @PermitAll
    public Services services() {
        return new Services(config.caseServiceUrl(), config.petitionServiceUrl(), config.deliveryServiceUrl(),
                signIn.oidc().orElse(null));
    }

    /** From this service's read model of the cases topic, so a hold shows here as soon as the stream carries it. */
    @GET
    @Path("/dashboard/cases")
    @RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
    public CampaignCases cases(@QueryParam("campaign") String campaignId) {
        CampaignChanged campaign = campaigns.resolve(campaignId);
        CampaignChanged previous = reference.campaigns().stream()
                .filter(c -> c.opensAt() != null && campaign.opensAt() != null && c.opensAt().isBefore(campaign.opensAt()))
                .max(Comparator.comparing(CampaignChanged::opensAt)).orElse(null);
        List<CaseInfo> cases = reference.cases().stream().filter(c -> campaign.campaignId().equals(c.campaignId()))
                .sorted(Comparator.comparing(c -> c.name() == null ? c.caseId() : c.name()))
                .map(c -> new CaseInfo(c.caseId(), c.name(), c.country(), c.targetAuthority(), c.scope(),
                        c.localEntityId(), c.goal(), c.status(), c.hold()))
                .toList();
        Map<String, String> names = new TreeMap<>();
        reference.entities().forEach(e -> names.put(e.entityId(), e.name() == null ? e.entityId() : e.name()));
        return new CampaignCases(info(campaign), previous == null ? null : info(previous), cases, names);
    }

    /** Every campaign, newest first, for the page's campaign picker (a replay of 2020 is a campaign of its own). */
    @GET
    @Path("/dashboard/campaigns")
    @RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
    public List<CampaignInfo> campaigns() {
        return reference.campaigns().stream()
                .sorted(Comparator.comparing(CampaignChanged::opensAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .map(DashboardResource::info).toList();
    }

    /** The case's deliveries as delivery-service announced them: the timeline of the case page. */
    @GET
    @Path("/dashboard/cases/{caseId}/handovers")
    @RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
    public List<HandoverQueries.Handover> handovers(@PathParam("caseId") String caseId,
                                                    @QueryParam("campaign") String campaignId) {
        return handovers.forCase(campaigns.resolve(campaignId).campaignId(), caseId);
    }

    private static CampaignInfo info(CampaignChanged c) {
        return new CampaignInfo(c.campaignId(), c.name(), c.opensAt(), c.closesAt(), c.current());
    }
}
