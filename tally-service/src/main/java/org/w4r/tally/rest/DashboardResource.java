package org.w4r.tally.rest;

import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.events.CampaignChanged;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.Slug;
import org.w4r.tally.model.Handover;
import org.w4r.tally.service.DashboardService;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard page needs besides the totals: who is signed in, where the other services are, the cases. For
 * staff, as the totals are; only {@link #me} answers any valid token.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.COORDINATOR, Roles.CASE_MANAGER, Roles.DELIVERY, Roles.MODERATOR})
public class DashboardResource {
    @Inject
    CurrentCaller caller;

    @Inject
    DashboardService dashboard;

    public record Me(@Schema(nullable = true) String principal, @Schema(nullable = true) String role,
                     @Schema(nullable = true) String entityId) {
    }

    public record CaseInfo(String caseId, @Schema(nullable = true) String name, @Schema(nullable = true) String country,
                           @Schema(nullable = true) String targetAuthority, @Schema(nullable = true) String scope,
                           @Schema(nullable = true) String localEntityId, @Schema(nullable = true) Long goal,
                           @Schema(nullable = true) String status, Hold hold) {
    }

    /**
     * A case's safety hold (no reason, no name: those stay in case-service). Nullable as a schema because OpenAPI 3.0
     * cannot make one reference to an object nullable: {@code nullable} beside a {@code $ref} is ignored.
     */
    @Schema(nullable = true, description = "the case's safety hold; null when it has none")
    public record Hold(long holdId, Instant placedAt) {
    }

    /** Nullable as a schema ({@link Hold} says why): {@code previous} is null for the first campaign. */
    @Schema(nullable = true)
    public record CampaignInfo(String campaignId, @Schema(nullable = true) String name,
                               @Schema(nullable = true, implementation = String.class, format = "date-time") Instant opensAt,
                               @Schema(nullable = true, implementation = String.class, format = "date-time") Instant closesAt,
                               boolean current) {
    }

    /** The campaign shown, the one before it (for "this campaign vs the previous one"), and its cases with holds. */
    public record CampaignCases(CampaignInfo campaign, CampaignInfo previous,
                                List<CaseInfo> cases, Map<String, String> entityNames) {
    }

    /** Any valid token: the page picks its navigation by role (the APIs enforce the roles anyway). */
    @GET
    @Path("/me")
    @Authenticated
    @Operation(operationId = "me", summary = "Who this token is: principal, role and, for an entity key, its entity")
    @APIResponseSchema(value = Me.class, responseDescription = "The token's principal and role")
    public Me me() {
        Caller c = caller.get();
        return new Me(c.principal(), c.role(), c.entityId());
    }

    /** From this service's read model of the cases topic, so a hold shows here as soon as the stream carries it. */
    @GET
    @Path("/dashboard/cases")
    @Operation(operationId = "dashboardCases", summary = "The campaign, the one before it, its cases with holds, entity names")
    @APIResponseSchema(value = CampaignCases.class, responseDescription = "The campaign and its cases")
    @APIResponse(responseCode = "404", description = TotalsResource.NO_CAMPAIGN)
    public CampaignCases cases(@QueryParam("campaign") @Slug String campaign) {
        DashboardService.Board board = dashboard.board(campaign);
        List<CaseInfo> cases = board.cases().stream()
                .map(c -> new CaseInfo(c.caseId(), c.name(), c.country(), c.targetAuthority(), c.scope(),
                        c.localEntityId(), c.goal(), c.status(),
                        c.hold() == null ? null : new Hold(c.hold().holdId(), c.hold().placedAt())))
                .toList();
        return new CampaignCases(info(board.campaign()), board.previous() == null ? null : info(board.previous()), cases,
                board.entityNames());
    }

    /** Every campaign, newest first, for the page's campaign picker. */
    @GET
    @Path("/dashboard/campaigns")
    @Operation(operationId = "dashboardCampaigns", summary = "Every campaign, newest first")
    @APIResponseSchema(value = CampaignInfo[].class, responseDescription = "Every campaign, newest first")
    public List<CampaignInfo> campaigns() {
        return dashboard.campaigns().stream().map(DashboardResource::info).toList();
    }

    /** The case's deliveries as delivery-service announced them: the timeline of the case page. */
    @GET
    @Path("/dashboard/cases/{caseId}/handovers")
    @Operation(operationId = "caseHandovers", summary = "A case's deliveries: kinds, status, cut-offs and frozen counts")
    @APIResponseSchema(value = Handover[].class, responseDescription = "The case's deliveries, oldest first")
    @APIResponse(responseCode = "404", description = TotalsResource.NO_CAMPAIGN)
    public List<Handover> handovers(@PathParam("caseId") @Slug String caseId, @QueryParam("campaign") @Slug String campaign) {
        return dashboard.handovers(campaign, caseId);
    }

    @RequiredUnlessNullable
    @Schema(name = "Milestone", description = "A case's total reaching a share of its goal, recorded once")
    public record MilestoneView(String caseId, int percent,
                                @Schema(description = "The count reached: goal × percent / 100, rounded up")
                                long threshold, long goal, Instant reachedAt) {
    }

    /** The campaign's milestones: the dashboard's timeline. */
    @GET
    @Path("/dashboard/milestones")
    @Operation(operationId = "dashboardMilestones", summary = "The campaign's milestones, newest first (up to 500)")
    @APIResponseSchema(value = MilestoneView[].class, responseDescription = "The milestones, newest first")
    @APIResponse(responseCode = "404", description = TotalsResource.NO_CAMPAIGN)
    public List<MilestoneView> milestones(@QueryParam("campaign") @Slug String campaign) {
        return dashboard.milestones(campaign, 500).stream()
                .map(m -> new MilestoneView(m.caseId(), m.percent(), m.threshold(), m.goal(), m.reachedAt())).toList();
    }

    static CampaignInfo info(CampaignChanged c) {
        return new CampaignInfo(c.campaignId(), c.name(), c.opensAt(), c.closesAt(), c.current());
    }
}
