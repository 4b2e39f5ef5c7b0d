package org.w4r.petition.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.BatchService;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.OnlineActionService;
import org.w4r.petition.service.RateLimits;

/** Online actions of the other types, and batches of any items, from entity websites and back-ends. */
@Path("/api/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ENTITY)
public class ActionResource {
    @Inject
    EntityWrites writes;

    @Inject
    OnlineActionService actions;

    @Inject
    BatchService batches;

    /** The HTTP layer's own reader, so an item's body is read exactly as its endpoint would read it (same strictness). */
    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    @POST
    @Path("actions")
    @Operation(operationId = "recordAction", summary = "Record an online action (letter, email, tweet, sms, postcard, "
            + "drawing, audio, other)", description = "Counted every time it is reported.")
    @APIResponseSchema(value = ActionResults.class, responseCode = "202", responseDescription = "Stored")
    @APIResponse(responseCode = "409", description = Api.CAMPAIGN_RETIRED)
    @APIResponse(responseCode = "404", description = Api.CASE_OR_CAMPAIGN_UNKNOWN)
    @APIResponse(responseCode = "422", description = Api.CASE_OR_CAMPAIGN_REFUSED + ", the date is outside the campaign "
            + "window, " + Api.KEY_OR_VALUE_REFUSED)
    public Response record(@Valid @NotNull ActionRequest request,
                           @HeaderParam(IdempotencyKey.HEADER) String key) {
        return writes.submit(key, "/api/v1/actions", request, request::toAction, EntityWrites.one(), 202, actions::check, ActionResults::of);
    }

    @POST
    @Path("batches")
    @Operation(operationId = "submitBatch", summary = "Submit up to 1,000 items of any kind in one transaction",
            description = "Each item is answered on its own, with the status its own endpoint would have answered and its "
                    + "result or problem; refused items store nothing, the others are stored together.")
    @APIResponseSchema(value = BatchResults.class, responseCode = "200", responseDescription = "Every item answered")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for another request")
    public Response batch(@Valid @NotNull BatchRequest request,
                          @HeaderParam(IdempotencyKey.HEADER) String key) {
        return writes.submit(key, "/api/v1/batches", request, () -> request.toItems(json, validator), RateLimits::take, 200, batches::check,
                BatchResults::of);
    }
}
