package org.w4r.delivery.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.w4r.delivery.model.DeliveryKinds;
import org.w4r.delivery.service.DeliveryService;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.Slug;
import org.w4r.kit.validation.Violations;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Delivery plans and handovers, for delivery teams; their packs are {@link PackResource}'s. */
@Path("/api/v1/deliveries")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.DELIVERY)
public class DeliveryResource {
    @Inject
    DeliveryService deliveries;

    @Inject
    CurrentCaller caller;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    Validator validator;

    @POST
    @Operation(operationId = "planDelivery", summary = "Plan a delivery of a case's petition or solidarity letters")
    @APIResponse(responseCode = "201", description = "Planned; Location names the new delivery",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryView.class)))
    @APIResponse(responseCode = "409", description = "case-on-hold: the case is on safety hold")
    @APIResponse(responseCode = "422", description = "unknown-case: the case left this service's read model, so its hold cannot be checked")
    public Response plan(@Valid @NotNull PlanRequest request, @Context UriInfo uri,
                         @HeaderParam("Authorization") @Parameter(hidden = true) String authorization) {
        DeliveryView view = DeliveryView.of(deliveries.plan(request.command(), caller.get().principal(), authorization));
        return Response.created(uri.getAbsolutePathBuilder().path(view.id().toString()).build()).entity(view).build();
    }

    @GET
    @Operation(operationId = "listDeliveries", summary = "Delivery plans by planned date (at most 500), optionally of one case or status")
    public List<DeliveryView> list(@QueryParam("caseId") @Slug String caseId,
                                   @QueryParam("status") @Pattern(regexp = DeliveryKinds.STATUS_PATTERN)
                                   @Schema(enumeration = {"planned", "delivered", "cancelled"}) String status) {
        return deliveries.list(caseId, status).stream().map(DeliveryView::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getDelivery", summary = "One delivery, with its handover and frozen counts once delivered")
    @APIResponseSchema(value = DeliveryView.class, responseCode = "200", responseDescription = "The delivery")
    @APIResponse(responseCode = "404", description = "No delivery with this id")
    public DeliveryView get(@PathParam("id") String id) {
        return DeliveryView.of(deliveries.find(id(id)));
    }

    /** The body is optional ({@code {"reason":"…"}}): a bare POST of any content type is accepted, a body only as JSON. */
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "cancelDelivery", summary = "Call off a planned delivery (allowed while the case is on hold)")
    @APIResponseSchema(value = DeliveryView.class, responseCode = "200", responseDescription = "Cancelled")
    @RequestBody(required = false, description = "optional: a JSON body with a reason, or no body at all (sent with any "
            + "Content-Type, or none; a non-empty body of another type is 415)",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CancelRequest.class)),
                    @Content(mediaType = MediaType.WILDCARD, schema = @Schema(type = SchemaType.STRING, maxLength = 0))})
    @APIResponse(responseCode = "404", description = "No delivery with this id")
    @APIResponse(responseCode = "409", description = "not-planned: the delivery was already delivered or cancelled")
    public DeliveryView cancel(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                               @HeaderParam("Authorization") @Parameter(hidden = true) String authorization,
                               byte[] body) {
        jsonBody(contentType, body);
        CancelRequest request = null;
        if (body != null && body.length > 0) {
            // read as bytes, so broken UTF-8 is refused rather than turned into replacement characters
            try {
                request = json.readValue(body, CancelRequest.class);
            } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
                throw ProblemException.invalid("reason", "'reason' must be a string");
            } catch (java.io.IOException e) {
                throw ProblemException.badRequest("the body, if any, must be JSON like {\"reason\":\"…\"}");
            }
            if (request == null) {
                throw ProblemException.badRequest("the body, if any, must be JSON like {\"reason\":\"…\"}");
            }
        }
        String reason = request == null ? null : PlanRequest.blankToNull(Violations.check(validator, request).reason());
        return DeliveryView.of(deliveries.cancel(id(id), reason, caller.get().principal(), authorization));
    }

    @POST
    @Path("{id}/handover")
    @Operation(operationId = "recordHandover", summary = "Record the handover of a planned delivery and freeze its counts at the cut-off")
    @APIResponseSchema(value = DeliveryView.class, responseCode = "200", responseDescription = "Recorded, with the frozen counts")
    @APIResponse(responseCode = "404", description = "No delivery with this id")
    @APIResponse(responseCode = "409", description = "case-on-hold, or not-planned (already delivered or cancelled)")
    @APIResponse(responseCode = "422", description = "unknown-case: the case left this service's read model, so its hold "
            + "cannot be checked; counts-out-of-range: a frozen figure (named in figures) would be outside 0 to max, "
            + "which the HandoverRecorded event cannot carry; the reports behind it need correcting, nothing recorded")
    public DeliveryView handover(@PathParam("id") String id, @Valid @NotNull HandoverRequest request,
                                 @HeaderParam("Authorization") @Parameter(hidden = true) String authorization) {
        return DeliveryView.of(deliveries.recordHandover(id(id), request.command(), caller.get().principal(),
                authorization));
    }

    /**
     * A body that is not declared as JSON is refused (415) rather than guessed at: this endpoint takes an empty body
     * of any type, so JAX-RS cannot refuse it by {@code @Consumes}.
     */
    private static void jsonBody(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            return;
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(MediaType.APPLICATION_JSON)) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported Media Type",
                    "a body, if any, must be sent as 'Content-Type: application/json'"));
        }
    }

    /** A delivery id from the path; one that is not a UUID names no delivery (404). */
    static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("delivery", id);
        }
    }
}
