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
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.tally.model.Handover;
import org.w4r.tally.service.CampaignViewService;

import java.util.List;

/**
 * What the staff UI (its own service: docs/staff-ui.md) reads here besides the totals: who is signed in, the
 * campaigns, a campaign's cases with their holds, a case's handovers.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {
    @Inject
    CurrentCaller caller;

    @Inject
    CampaignViewService views;

    public record Me(String principal, String role, String entityId) {
    }

    /** Any valid token: the page picks its navigation by role (the APIs enforce the roles anyway). */
    @GET
    @Path("/me")
    @Authenticated
    public Me me() {
        Caller c = caller.get();
        return new Me(c.principal(), c.role(), c.entityId());
    }

    @GET
    @Path("/dashboard/cases")
    @RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
    public CampaignViewService.CampaignCases cases(@QueryParam("campaign") String campaignId) {
        return views.cases(campaignId);
    }

    /** For the page's campaign picker. */
    @GET
    @Path("/dashboard/campaigns")
    @RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
    public List<CampaignViewService.CampaignInfo> campaigns() {
        return views.campaigns();
    }

    /** The timeline of the case page. */
    @GET
    @Path("/dashboard/cases/{caseId}/handovers")
    @RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
    public List<Handover> handovers(@PathParam("caseId") String caseId,
                                                    @QueryParam("campaign") String campaignId) {
        return views.handovers(campaignId, caseId);
    }
}
