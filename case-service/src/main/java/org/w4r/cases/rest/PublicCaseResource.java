package org.w4r.cases.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.model.CaseFile;
import org.w4r.kit.security.Credentials;
import org.w4r.kit.validation.QueryGuard;

import java.util.List;

/**
 * The public state of the current campaign's cases, for entity websites to list, from any origin, cacheable a few
 * seconds with an ETag; no secrets, no auth. A case on safety hold is absent, exactly as a closed one: the hold is not
 * for the public (it protects a person at risk), and a site takes its petition down when the case leaves the list.
 */
@Path("/public/v1/cases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "public")
public class PublicCaseResource {

    public record PublicCase(String caseId, String name, String country,
                             @Schema(enumeration = {"global", "local"}) String scope,
                             @Schema(nullable = true) String localEntityId, @Schema(nullable = true) Long goal) {
    }

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "w4r.public.cases.max-age", defaultValue = "5")
    int maxAge;

    @GET
    @Operation(operationId = "listPublicCases",
            summary = "The active cases of the current campaign that are not on hold (no credentials, any origin)")
    @APIResponse(responseCode = "200", description = "The cases; cacheable for a few seconds, with an ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PublicCase.class)))
    @APIResponse(responseCode = "304", description = "Not modified since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "400", description = QueryGuard.REFUSED)
    public Response list(@Context Request request) throws JsonProcessingException {
        // a query parameter (?x=<random>, a miss for every CDN) is refused before this read: QueryGuard
        List<PublicCase> cases = Campaign.findCurrent()
                .map(campaign -> CaseFile.<CaseFile>list("campaignId = ?1 and status = 'active' order by id", campaign.id))
                .orElse(List.of()).stream()
                .filter(c -> !c.onHold())
                .map(c -> new PublicCase(c.id, c.name, c.country, c.scope, c.localEntityId, c.goal))
                .toList();
        // the tag is the answer's digest, so every instance gives the same list the same tag
        EntityTag tag = new EntityTag(Credentials.sha256(json.writeValueAsString(cases)).substring(0, 32));
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        return (notModified != null ? notModified : Response.ok(cases)).tag(tag)
                .header("Cache-Control", "public, max-age=" + maxAge)
                .header("Access-Control-Allow-Origin", "*").header("Access-Control-Expose-Headers", "ETag").build();
    }
}
