package org.w4r.tally.rest;

import org.w4r.kit.validation.QueryGuard;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Context;
import org.w4r.kit.problem.Problem;
import org.w4r.tally.service.LiveTotalsService;
import org.w4r.tally.service.LiveTotalsService.Counter;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.validation.Slug;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The live counter entity websites embed: no credentials, any origin, cacheable for a few seconds, and answered
 * from memory (the read model and the poller's snapshot), so a flood of readers never reaches the database.
 */
@Path("/public/v1/cases/{caseId}/counter")
@PermitAll
// the path's own 400, whichever method (SmallRye adds the class's responses to each operation)
@APIResponse(responseCode = "400", description = "The case id is not an id; " + QueryGuard.REFUSED)
public class PublicCounterResource {
    @Inject
    LiveTotalsService live;

    @Inject
    ReferenceData reference;

    @Inject
    CounterSettings settings;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "publicCounter", summary = "A case's live count for entity websites (no credentials, any origin)")
    @APIResponse(responseCode = "200", description = "The count; cacheable for a few seconds, with an ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Counter.class)))
    @APIResponse(responseCode = "304", description = "Not modified since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "404", description = "No such case, or its public counter is off (switched off, draft or on hold)")
    public Response counter(@PathParam("caseId") @Slug String caseId, @Context Request request) {
        Counter counter = reference.findCase(caseId).flatMap(live::counter).orElse(null);
        if (counter == null) {
            // the same answer for "unknown", "switched off", "draft" and "on hold" (PublicCounterRule): a held case's
            // status is not for the public, nor is a case being prepared (a draft answered 200 until a read-only
            // audit, 4 December 2026), nor whether a case exists under a slug of a person's name (an unknown id
            // answered not-found, so a hidden case told that it existed)
            return cors(Response.fromResponse(Problem.of(404, "counter-off", "No public counter",
                    "case '" + caseId + "' has no public counter").with("caseId", caseId).toResponse()))
                    .header("Cache-Control", cache()).build();
        }
        EntityTag tag = new EntityTag(Integer.toHexString(counter.hashCode()) + "-" + counter.count());
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder response = notModified != null ? notModified : Response.ok(counter);
        return cors(response).tag(tag).header("Cache-Control", cache()).build();
    }

    @OPTIONS
    @Operation(operationId = "publicCounterPreflight", summary = "The CORS preflight of the public counter")
    @APIResponse(responseCode = "204", description = "Any origin may GET the counter")
    public Response preflight(@PathParam("caseId") @Slug String caseId) {
        return cors(Response.noContent()).header("Access-Control-Allow-Methods", "GET, OPTIONS")
                .header("Access-Control-Allow-Headers", "If-None-Match").header("Access-Control-Max-Age", "86400").build();
    }

    private String cache() {
        return "public, max-age=" + settings.maxAge() + ", stale-while-revalidate=" + settings.staleWhileRevalidate();
    }

    private static Response.ResponseBuilder cors(Response.ResponseBuilder builder) {
        return builder.header("Access-Control-Allow-Origin", "*").header("Access-Control-Expose-Headers", "ETag");
    }
}
