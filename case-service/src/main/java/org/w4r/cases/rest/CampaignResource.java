package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CaseFile;
import org.w4r.cases.service.CampaignService;
import org.w4r.cases.service.CaseService;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.CampaignEra;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;

import java.time.Instant;
import java.util.List;

/** Campaigns (editions) with their windows and per-entity extensions. */
@Path("/api/v1/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.COORDINATOR, Roles.CASE_MANAGER, Roles.DELIVERY, Roles.MODERATOR})
@Tag(name = "campaigns")
public class CampaignResource {
    /** A campaign is planned within decades; never beyond what PostgreSQL and every reader store. */
    static final int PLANNED_DAYS_AHEAD = 20 * 366;

    @Inject
    CampaignService campaigns;

    @Inject
    CaseService cases;

    @Inject
    CsvImport csvImport;

    @Inject
    CurrentCaller caller;

    public record CampaignRequest(
            @NotNull @Slug @Schema(example = "w4r-2026") String campaignId,
            @NotBlank @OneLine(max = 200) @Schema(maxLength = 200, example = "Write for Rights 2026") String name,
            @NotNull @CampaignEra(daysAhead = PLANNED_DAYS_AHEAD) @Schema(example = "2026-11-20T00:00:00Z") Instant opensAt,
            @NotNull @CampaignEra(daysAhead = PLANNED_DAYS_AHEAD) @Schema(example = "2027-01-31T00:00:00Z") Instant closesAt,
            @Schema(description = "true: this campaign becomes the current one") Boolean current) {

        CampaignService.CampaignInput command() {
            return new CampaignService.CampaignInput(campaignId, Text.trim(name), opensAt, closesAt, current);
        }
    }

    /** A change: only what is named changes. */
    public record CampaignEdit(
            @OneLine(max = 200) @Schema(maxLength = 200)
            @Pattern(regexp = CaseRequest.NOT_BLANK, message = "must not be blank") String name,
            @CampaignEra(daysAhead = PLANNED_DAYS_AHEAD) Instant opensAt,
            @CampaignEra(daysAhead = PLANNED_DAYS_AHEAD) Instant closesAt,
            @Schema(description = "true: this campaign becomes the current one (the previous one stops being so)")
            Boolean current) {

        CampaignService.CampaignInput command() {
            return new CampaignService.CampaignInput(null, Text.trim(name), opensAt, closesAt, current);
        }
    }

    public record ExtensionRequest(@NotNull @CampaignEra(daysAhead = PLANNED_DAYS_AHEAD) Instant closesAt) {
    }

    public record Extension(String entityId, Instant closesAt) {
    }

    public record CampaignView(String campaignId, String name, Instant opensAt, Instant closesAt, boolean current,
                               List<Extension> extensions,
                               @Schema(description = "grows with every change of the campaign or its extensions; "
                                       + "its ETag, for If-Match") long version) {
        static CampaignView of(CampaignService.Stored stored) {
            Campaign c = stored.campaign();
            return new CampaignView(c.id, c.name, c.opensAt, c.closesAt, c.current, stored.extensions().stream()
                    .map(e -> new Extension(e.entityId, e.closesAt)).toList(), c.version);
        }

        /** 200 with the campaign and its version as the ETag. */
        static Response tagged(CampaignService.Stored stored) {
            return Versions.tagged(of(stored), path(stored), stored.campaign().version);
        }

        /** 201 with the new campaign, its Location, and its version as the ETag. */
        static Response created(CampaignService.Stored stored) {
            return Versions.created(of(stored), path(stored), stored.campaign().version);
        }

        static String path(CampaignService.Stored stored) {
            return "/api/v1/campaigns/" + stored.campaign().id;
        }
    }

    @GET
    @Operation(operationId = "listCampaigns", summary = "Every campaign, the latest first")
    public List<CampaignView> list() {
        return CampaignService.all().stream().map(CampaignView::of).toList();
    }

    @GET
    @Path("{campaignId}")
    @Operation(operationId = "getCampaign", summary = "One campaign with its extensions")
    @APIResponseSchema(value = CampaignView.class, responseDescription = "The campaign")
    public Response get(@PathParam("campaignId") String campaignId) {
        return CampaignView.tagged(CampaignService.stored(campaignId));
    }

    @POST
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "createCampaign", summary = "Create a campaign")
    @APIResponseSchema(value = CampaignView.class, responseCode = "201", responseDescription = "Created")
    @APIResponse(responseCode = "409", description = "duplicate-id: a campaign with this id exists")
    public Response create(@Valid @NotNull CampaignRequest request) {
        return CampaignView.created(campaigns.create(request.command()));
    }

    @PATCH
    @Path("{campaignId}")
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "editCampaign", summary = "Change its name, window, or make it the current one")
    @APIResponseSchema(value = CampaignView.class, responseDescription = "Changed")
    @APIResponse(responseCode = "409", description = "concurrent-change: read it again and retry")
    public Response update(@PathParam("campaignId") String campaignId, @BeanParam IfMatch ifMatch,
                           @Valid @NotNull CampaignEdit edit) {
        return CampaignView.tagged(campaigns.update(campaignId, edit.command(), ifMatch.expected()));
    }

    @PUT
    @Path("{campaignId}/extensions/{entityId}")
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "extendCampaign", summary = "Let one entity take actions until later than the campaign")
    @APIResponseSchema(value = CampaignView.class, responseDescription = "The campaign as extended")
    public Response extend(@PathParam("campaignId") String campaignId, @PathParam("entityId") String entityId,
                           @BeanParam IfMatch ifMatch, @Valid @NotNull ExtensionRequest request) {
        return CampaignView.tagged(campaigns.extend(campaignId, entityId, request.closesAt(), ifMatch.expected()));
    }

    @DELETE
    @Path("{campaignId}/extensions/{entityId}")
    @RolesAllowed(Roles.CASE_MANAGER)
    @Operation(operationId = "removeExtension", summary = "End an entity's extension")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such campaign or extension")
    public Response removeExtension(@PathParam("campaignId") String campaignId, @PathParam("entityId") String entityId) {
        campaigns.removeExtension(campaignId, entityId);
        return Response.noContent().build();
    }

    /**
     * Cases from CSV (the format of the 2020 report's cases.csv). A case manager imports any case; an entity's
     * key imports only local cases of its own entity, up to {@code w4r.cases.max-local-per-entity} in the campaign,
     * with ids in its own namespace ({@code <entityId>-...}).
     */
    @POST
    @Path("{campaignId}/cases/import")
    @Consumes({CsvImport.MEDIA_TYPE, MediaType.TEXT_PLAIN})
    @RolesAllowed({Roles.CASE_MANAGER, Roles.ENTITY})
    @Operation(operationId = "importCases", summary = "Cases from a CSV file, all rows or none")
    @RequestBody(description = "case_id,name,country,iso2,estimated_actions (2020 report); optional target_authority, "
            + "scope, local_entity_id, goal, status, demand")
    @APIResponse(responseCode = "201", description = "Created, one case per row", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = CaseView.class)))
    @APIResponse(responseCode = "404", description = "No such campaign, or no such entity for a local case")
    @APIResponse(responseCode = "400", description = "invalid-field: a row's shape; with an entity key, a 'caseId' that "
            + "does not start with the entity's id and a dash, or that starts with another entity's id and a dash "
            + "('line' names the row)")
    @APIResponse(responseCode = "409", description = "duplicate-id: a row's case exists ('line' names the row; with an "
            + "entity key, one of its own ids); or "
            + "too-many-local-cases: with an entity key, the file would give the entity more local cases in the "
            + "campaign than it may have ('maxLocalCases', 'localCases', 'requested'); nothing stored")
    @APIResponse(responseCode = "422", description = "campaign-closed: the campaign takes no more cases")
    @APIResponseSchema(value = ImportPreviewView.class, responseCode = "200",
            responseDescription = "dryRun=true: what each line would do; nothing written")
    public Response importCases(@PathParam("campaignId") String campaignId,
                                @QueryParam("dryRun") @Parameter(description = "check every line, write nothing", required = false,
                                        schema = @Schema(type = SchemaType.BOOLEAN))
                                @jakarta.validation.constraints.Pattern(regexp = CaseRequest.TRUE_OR_FALSE, message = "must be true or false")
                                String dryRun, String csv) {
        CampaignService.find(campaignId);
        Caller who = caller.get();
        String localEntity = Roles.ENTITY.equals(who.role()) ? who.entityId() : null;
        if (Boolean.parseBoolean(dryRun)) {
            return Response.ok(ImportPreviewView.of(cases.dryRun(campaignId, csvImport.casesToCheck(csv, campaignId),
                    localEntity))).build();
        }
        List<CaseFile> created = cases.importAll(campaignId, csvImport.cases(csv, campaignId), localEntity);
        return Response.status(201).entity(created.stream().map(CaseView::of).toList()).build();
    }
}
