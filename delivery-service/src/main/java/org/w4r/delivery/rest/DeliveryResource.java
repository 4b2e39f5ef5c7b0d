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
import org.w4r.delivery.model.CancelRequest;
import org.w4r.delivery.model.DeliveryView;
import org.w4r.delivery.model.HandoverRequest;
import org.w4r.delivery.model.PlanRequest;
import org.w4r.delivery.service.DeliveryService;
import org.w4r.delivery.service.PackService;
import org.w4r.delivery.service.Validation;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** Delivery plans, handovers and delivery packs, for delivery teams. */
@Path("/api/v1/deliveries")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.DELIVERY)
public class DeliveryResource {
    @Inject
    DeliveryService deliveries;

    @Inject
    PackService packs;

    @Inject
    CurrentCaller caller;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @POST
    public Response plan(PlanRequest request, @Context UriInfo uri) {
        DeliveryView view = deliveries.plan(request, caller.get().principal());
        return Response.created(uri.getAbsolutePathBuilder().path(view.id().toString()).build()).entity(view).build();
    }

    @GET
    public List<DeliveryView> list(@QueryParam("caseId") String caseId, @QueryParam("status") String status) {
        return deliveries.list(caseId, status);
    }

    @GET
    @Path("{id}")
    public DeliveryView get(@PathParam("id") String id) {
        return deliveries.view(id(id));
    }

    /** The body is optional ({@code {"reason":"…"}}): a bare POST of any content type is accepted, a body only as JSON. */
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public DeliveryView cancel(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                               byte[] body) {
        Validation.jsonBody(contentType, body);
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
        return deliveries.cancel(id(id), request, caller.get().principal());
    }

    @POST
    @Path("{id}/handover")
    public DeliveryView handover(@PathParam("id") String id, HandoverRequest request) {
        return deliveries.recordHandover(id(id), request, caller.get().principal());
    }

    /** The PDF for the recipient; {@code Repr-Digest} carries the SHA-256 also stored on the handover. */
    @GET
    @Path("{id}/pack")
    @Produces("application/pdf")
    public Response pack(@PathParam("id") String id, @HeaderParam("Authorization") String authorization) {
        PackService.Pack pack = packs.pack(id(id), authorization, caller.get().principal());
        return Response.ok(pack.pdf(), "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"" + pack.fileName() + "\"")
                .header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(pack.sha256())) + ":")
                .header("X-Pack-SHA256", pack.sha256())
                .header("Cache-Control", "no-store")
                .build();
    }

    private static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("delivery", id);
        }
    }
}
