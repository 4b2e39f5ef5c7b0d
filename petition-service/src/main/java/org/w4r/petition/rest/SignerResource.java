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
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.Erasure;
import org.w4r.petition.service.SignerExport;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Signer data: the consented list for a delivery, and erasure on request. */
@Path("/api/v1")
public class SignerResource {
    @Inject
    SignerExport export;

    @Inject
    Erasure erasure;

    public record ErasureRequest(String email) {
    }

    public record Erased(int signatures) {
    }

    @GET
    @Path("cases/{caseId}/signers.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.DELIVERY)
    public Response signers(@PathParam("caseId") String caseId, @QueryParam("until") String until) {
        Instant cutoff;
        try {
            cutoff = until == null ? Instant.now() : Instant.parse(until);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("until", "'until' must be an ISO-8601 instant such as 2021-02-01T00:00:00Z");
        }
        return Response.ok(export.csv(caseId, cutoff))
                .header("Content-Disposition", "attachment; filename=\"" + caseId + "-signers.csv\"")
                .header("Cache-Control", "no-store").build();
    }

    /** A supporter asked their entity to forget them: names and countries go; the count stays. */
    @POST
    @Path("erasures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ENTITY, Roles.COORDINATOR})
    public Erased erase(ErasureRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'email' is required");
        }
        return new Erased(erasure.erase(request.email()));
    }
}
