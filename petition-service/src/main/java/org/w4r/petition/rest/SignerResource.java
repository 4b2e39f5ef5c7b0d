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
import org.w4r.petition.service.Committer;
import org.w4r.petition.service.ErasureService;
import org.w4r.petition.service.Inputs;
import org.w4r.petition.service.SignerExportService;

import java.sql.SQLException;
import java.time.Instant;

/** Signer data: the consented list for a delivery, and erasure on request. */
@Path("/api/v1")
public class SignerResource {
    @Inject
    SignerExportService export;

    @Inject
    ErasureService erasures;

    @Inject
    Committer committer;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("cases/{caseId}/signers.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.DELIVERY)
    public Response signers(@PathParam("caseId") String caseId, @QueryParam("until") String until) throws SQLException {
        Instant cutoff = Inputs.cutoff("until", until);
        return Response.ok(export.csv(Inputs.text("caseId", caseId, 64), cutoff == null ? Instant.now() : cutoff))
                .header("Content-Disposition", "attachment; filename=\"" + caseId + "-signers.csv\"")
                .header("Cache-Control", "no-store").build();
    }

    /**
     * A supporter asked to be forgotten: their names, countries and messages go; their counts stay. An entity erases
     * what was taken through it; a coordinator erases across entities. No Idempotency-Key is kept: its fingerprint
     * would be an unkeyed hash of the email, and the same erasure twice is harmless.
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
        String email = Inputs.email("email", request.email());
        Caller who = caller.get();
        String entityId = Roles.ENTITY.equals(who.role()) ? who.entityId() : null;
        return Answers.response(committer.commit(null, 202, erasures.erase(entityId, email), ErasureAccepted::of));
    }
}
