package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.kit.openapi.RequiredUnlessNullable;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.Slug;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.OfflineCountService;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Counts reported after offline events, and their corrections; an entity sees and corrects only its own. */
@Path("/api/v1/offline-counts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ENTITY)
public class OfflineCountResource {
    @Inject
    CurrentCaller caller;

    @Inject
    OfflineCountService offlineCounts;

    @Inject
    EntityWrites writes;

    @RequiredUnlessNullable
    @Schema(name = "OfflineCorrection")
    public record Correction(UUID correctionId,
                             long delta,
                             String reason,
                             Instant recordedAt) {
    }

    @RequiredUnlessNullable
    @Schema(name = "OfflineCount", description = "An offline count with its corrections and its net count")
    public record Entry(UUID offlineCountId,
                        @Schema(nullable = true, description = "null for the campaign as a whole") String caseId,
                        String type,
                        long count,
                        @Schema(description = "count plus every correction") long net,
                        String eventName,
                        @Schema(example = "2022-03-10") LocalDate eventDate,
                        @Schema(nullable = true) String eventPlace,
                        Instant recordedAt,
                        List<Correction> corrections) {
        static Entry of(OfflineCountService.Entry e) {
            return new Entry(e.count().actionId, e.count().caseId, e.count().type, e.count().count, e.net(),
                    e.count().eventName, e.count().eventDate, e.count().eventPlace, e.count().recordedAt,
                    e.corrections().stream().map(c -> new Correction(c.correctionId, c.delta, c.reason, c.recordedAt)).toList());
        }
    }

    @POST
    @Operation(operationId = "reportOfflineCount", summary = "Report the actions taken at an offline event",
            description = "A ledger entry, never edited: correct it with a correction. Dated noon UTC of the event's day.")
    @APIResponseSchema(value = ActionResults.class, responseCode = "202",
            responseDescription = "Stored; its actionId is the offline count's id")
    @APIResponse(responseCode = "409", description = Api.CAMPAIGN_RETIRED)
    @APIResponse(responseCode = "404", description = Api.CASE_OR_CAMPAIGN_UNKNOWN)
    @APIResponse(responseCode = "422", description = Api.CASE_OR_CAMPAIGN_REFUSED + ", the day is outside the campaign "
            + "window, " + Api.KEY_OR_VALUE_REFUSED)
    public Response report(@Valid @NotNull OfflineCountRequest request,
                           @HeaderParam(IdempotencyKey.HEADER) String key) {
        return writes.submit(key, "/api/v1/offline-counts", request, request::toOfflineCount, EntityWrites.one(), 202, offlineCounts::check,
                ActionResults::of);
    }

    @POST
    @Path("{id}/corrections")
    @Operation(operationId = "correctOfflineCount", summary = "Correct an offline count of your entity",
            description = "A new ledger entry that adds delta; the net count never goes below zero.")
    @APIResponseSchema(value = CorrectionResult.class, responseCode = "201", responseDescription = "Stored")
    @APIResponse(responseCode = "409", description = Api.CAMPAIGN_RETIRED)
    @APIResponse(responseCode = "404", description = "No offline count of your entity has this id")
    @APIResponse(responseCode = "422", description = "The net count would go below zero, " + Api.KEY_OR_VALUE_REFUSED)
    public Response correct(@PathParam("id") UUID id, @Valid @NotNull CorrectionRequest request,
                            @HeaderParam(IdempotencyKey.HEADER) String key) {
        return writes.submit(key, "/api/v1/offline-counts/" + id + "/corrections", request, () -> request.toCorrection(id),
                EntityWrites.one(), 201, offlineCounts::correct, CorrectionResult::of);
    }

    @GET
    @Operation(operationId = "listOfflineCounts", summary = "Your entity's offline counts, newest first, with their corrections",
            description = "Only the calling entity's own: the entity is the key's, never a parameter.")
    @APIResponse(responseCode = "200", description = "The entries, newest first")
    public List<Entry> list(@QueryParam("campaignId") @Slug String campaignId, @QueryParam("caseId") @Slug String caseId,
                            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return offlineCounts.list(caller.get().entityId(), campaignId, caseId, limit).stream().map(Entry::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getOfflineCount", summary = "Read an offline count of your entity, with its corrections")
    @APIResponse(responseCode = "200", description = "The entry")
    @APIResponse(responseCode = "404", description = "No offline count of your entity has this id")
    public Entry get(@PathParam("id") UUID id) {
        return offlineCounts.find(caller.get().entityId(), id).map(Entry::of)
                .orElseThrow(() -> ProblemException.notFound("offline count", id.toString()));
    }
}
