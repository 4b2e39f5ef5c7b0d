package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CampaignExtension;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.service.CampaignService;
import org.w4r.cases.service.CsvImport;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;

import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Campaigns (editions) with their windows and per-entity extensions. */
@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class CampaignResource {
    @Inject
    CampaignService campaigns;

    @Inject
    CsvImport csvImport;

    @Inject
    CurrentCaller caller;

    public record Extension(String entityId, Instant closesAt) {
    }

    public record ExtensionRequest(Instant closesAt) {
    }

    public record CampaignView(String campaignId, String name, Instant opensAt, Instant closesAt, boolean current,
                               List<Extension> extensions) {
        static CampaignView of(Campaign c) {
            return new CampaignView(c.id, c.name, c.opensAt, c.closesAt, c.current, CampaignExtension.of(c.id).stream()
                    .map(e -> new Extension(e.entityId, e.closesAt)).toList());
        }
    }

    @GET
    public List<CampaignView> list() {
        return Campaign.<Campaign>list("order by opensAt desc").stream().map(CampaignView::of).toList();
    }

    @GET
    @Path("{campaignId}")
    public CampaignView get(@PathParam("campaignId") String campaignId) {
        return CampaignView.of(CampaignService.find(campaignId));
    }

    @POST
    @RolesAllowed("case-manager")
    public Response create(CampaignService.CampaignInput input) {
        Campaign c = campaigns.create(CaseResource.required(input));
        return Response.created(URI.create("/api/v1/campaigns/" + c.id)).entity(CampaignView.of(c)).build();
    }

    @PATCH
    @Path("{campaignId}")
    @RolesAllowed("case-manager")
    public CampaignView update(@PathParam("campaignId") String campaignId, CampaignService.CampaignInput input) {
        return CampaignView.of(campaigns.update(campaignId, CaseResource.required(input)));
    }

    @PUT
    @Path("{campaignId}/extensions/{entityId}")
    @RolesAllowed("case-manager")
    public CampaignView extend(@PathParam("campaignId") String campaignId, @PathParam("entityId") String entityId,
                               ExtensionRequest request) {
        campaigns.extend(campaignId, entityId, CaseResource.required(request).closesAt());
        return CampaignView.of(CampaignService.find(campaignId));
    }

    @DELETE
    @Path("{campaignId}/extensions/{entityId}")
    @RolesAllowed("case-manager")
    public Response removeExtension(@PathParam("campaignId") String campaignId, @PathParam("entityId") String entityId) {
        campaigns.removeExtension(campaignId, entityId);
        return Response.noContent().build();
    }

    /**
     * Cases from CSV (the format of the 2020 report's cases.csv). A case manager imports any case; an entity's
     * key imports only local cases of its own entity.
     */
    @POST
    @Path("{campaignId}/cases/import")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @RolesAllowed({"case-manager", "entity"})
    public Response importCases(@PathParam("campaignId") String campaignId, String csv) {
        CampaignService.find(campaignId);
        Caller who = caller.get();
        String localEntity = Roles.ENTITY.equals(who.role()) ? who.entityId() : null;
        List<CaseFile> created = csvImport.importCases(campaignId, new StringReader(CaseResource.required(csv)), localEntity);
        return Response.status(201).entity(created.stream().map(CaseView::of).toList()).build();
    }
}
