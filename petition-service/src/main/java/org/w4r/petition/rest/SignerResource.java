package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.Erasure;
import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.SignerExport;

import java.time.Instant;
import java.util.UUID;

/** Signer data: the consented list for a delivery, and erasure on request. */
@Path("/api/v1")
public class SignerResource {
    @Inject
    SignerExport export;

    @Inject
    Erasure erasure;

    @Inject
    CurrentCaller caller;

    public record ErasureRequest(String email) {
    }

    /**
     * The same for everyone: whether the person signed, how often and through whom is not the caller's to learn
     * (an entity key could otherwise probe any email).
     */
    public record ErasureAccepted(UUID erasureId, String status) {
    }

    @GET
    @Path("cases/{caseId}/signers.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.DELIVERY)
    public Response signers(@PathParam("caseId") String caseId, @QueryParam("until") String until) {
        Instant cutoff = Inputs.cutoff("until", until);
        return Response.ok(export.csv(Inputs.text("caseId", caseId, 64), cutoff == null ? Instant.now() : cutoff))
                .header("Content-Disposition", "attachment; filename=\"" + caseId + "-signers.csv\"")
                .header("Cache-Control", "no-store").build();
    }

    /**
     * A supporter asked to be forgotten: their names, countries and messages go; their counts stay. An entity erases
     * what was taken through it; a coordinator erases across entities.
     */
    @POST
    @Path("erasures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENTITY, Roles.COORDINATOR})
    public Response erase(ErasureRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'email' is required");
        }
        Caller who = caller.get();
        UUID erasureId = erasure.erase(Roles.ENTITY.equals(who.role()) ? who.entityId() : null, request.email());
        return Response.accepted(new ErasureAccepted(erasureId, "accepted")).build();
    }
}
