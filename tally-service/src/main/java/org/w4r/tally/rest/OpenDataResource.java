package org.w4r.tally.rest;

import org.w4r.kit.validation.QueryGuard;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.kit.csv.CsvBodyWriter;
import org.w4r.kit.validation.Slug;
import org.w4r.tally.service.OpenDataService;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The campaign's figures as open data: no credentials, any origin, cacheable ({@code ETag}, {@code Cache-Control}),
 * JSON or CSV ({@code Accept: text/csv} or {@code ?format=csv}). Counts only; a case on hold, switched off or in draft
 * has none (docs/tally-service.md, "Open data").
 */
@Path("/public/v1/open-data")
@PermitAll
@Produces({MediaType.APPLICATION_JSON, CsvBodyWriter.MEDIA_TYPE})
// what every read here can answer besides its own figures (SmallRye adds the class's responses to each operation)
@APIResponse(responseCode = "304", description = "Not modified since the ETag sent in If-None-Match")
@APIResponse(responseCode = "400", description = "An id that is not an id; " + QueryGuard.REFUSED)
public class OpenDataResource {
    static final String FORMAT = CampaignQuery.FORMAT;
    static final String LONG_FORM = "The totals; CSV in the long form dimension,key,total";
    static final String NOT_OPEN = "No such campaign, or (for a case) no such case in it, or it has no open data: "
            + "switched off, in draft or on hold, all answered alike";

    @Inject
    OpenDataService data;

    @Inject
    HttpHeaders headers;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "w4r.tally.open-data.max-age", defaultValue = "60")
    int maxAge;

    @GET
    @Path("campaigns")
    @Operation(operationId = "openDataCampaigns", summary = "Every campaign (edition), newest first")
    @APIResponse(responseCode = "200", description = "The campaigns", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = OpenDataService.CampaignSummary.class)))
    public Response campaigns(@QueryParam("format") @Pattern(regexp = FORMAT) String format, @Context Request request) {
        return cacheable(request, data.campaigns());
    }

    @GET
    @Path("campaigns/{campaignId}")
    @Operation(operationId = "openDataCampaign", summary = "A campaign's totals: by open case, type and mode")
    @APIResponse(responseCode = "200", description = LONG_FORM,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenDataService.CampaignData.class)))
    @APIResponse(responseCode = "404", description = NOT_OPEN)
    public Response campaign(@PathParam("campaignId") @Slug String campaignId,
                             @QueryParam("format") @Pattern(regexp = FORMAT) String format, @Context Request request) {
        return cacheable(request, data.campaign(campaignId));
    }

    @GET
    @Path("campaigns/{campaignId}/cases/{caseId}")
    @Operation(operationId = "openDataCase", summary = "A case's totals by type and mode")
    @APIResponse(responseCode = "200", description = LONG_FORM,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenDataService.CaseData.class)))
    @APIResponse(responseCode = "404", description = NOT_OPEN)
    public Response caseData(@PathParam("campaignId") @Slug String campaignId, @PathParam("caseId") @Slug String caseId,
                             @QueryParam("format") @Pattern(regexp = FORMAT) String format, @Context Request request) {
        return cacheable(request, data.caseData(campaignId, caseId));
    }

    @GET
    @Path("campaigns/{campaignId}/cases/{caseId}/days")
    @Operation(operationId = "openDataCaseHistory", summary = "A case's actions per day (UTC), with the running total")
    @APIResponse(responseCode = "200", description = "The history; CSV day,count,cumulative",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenDataService.CaseHistory.class)))
    @APIResponse(responseCode = "404", description = NOT_OPEN)
    public Response history(@PathParam("campaignId") @Slug String campaignId, @PathParam("caseId") @Slug String caseId,
                            @QueryParam("format") @Pattern(regexp = FORMAT) String format, @Context Request request) {
        return cacheable(request, data.history(campaignId, caseId));
    }

    @GET
    @Path("compare")
    @Operation(operationId = "openDataCompare", summary = "Campaigns side by side (year over year) by type, mode and day of campaign")
    @APIResponse(responseCode = "200", description = "The comparison; CSV dimension,key,<one column per campaign>",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenDataService.Comparison.class)))
    @APIResponse(responseCode = "404", description = "One of the campaigns does not exist")
    public Response compare(@QueryParam("campaign") @NotNull(message = "name a campaign: ?campaign=<id>") @Slug String campaign,
                            @QueryParam("with") @NotNull(message = "name the campaign to compare with: ?with=<id>") @Slug String with,
                            @QueryParam("format") @Pattern(regexp = FORMAT) String format, @Context Request request) {
        return cacheable(request, data.compare(List.of(campaign, with)));
    }

    /**
     * The answer with a strong ETag of its content and representation (JSON and CSV differ), cacheable by anyone for
     * {@code w4r.tally.open-data.max-age} seconds; a matching If-None-Match gets a 304.
     */
    private Response cacheable(Request request, Object body) {
        boolean csv = headers.getAcceptableMediaTypes().stream().findFirst()
                .map(t -> t.isCompatible(MediaType.valueOf(CsvBodyWriter.MEDIA_TYPE)) && !t.isWildcardType()).orElse(false);
        EntityTag tag = new EntityTag(digest(body) + (csv ? "-csv" : "-json"));
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder response = notModified != null ? notModified : Response.ok(body);
        return response.tag(tag).header("Cache-Control", "public, max-age=" + maxAge)
                .header("Vary", "Accept").build(); // and "any origin", by http/OpenDataCors
    }

    /** Of the content itself (a hash code could collide and keep a cache on old figures for good). */
    private String digest(Object body) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(body));
            return HexFormat.of().formatHex(sha, 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
