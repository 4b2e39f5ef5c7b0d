package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.SignatureService;

/** Petition signatures from entity websites, authenticated by the entity's API key. */
@Path("/api/v1/signatures")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SignatureResource {
    @Inject
    CurrentCaller caller;

    @Inject
    SignatureService signatures;

    @POST
    @RolesAllowed(Roles.ENTITY)
    public Response sign(SignatureRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'caseIds' and 'signer' is required");
        }
        ActionResults results = signatures.sign(caller.get().entityId(), request);
        return Response.accepted(results).build();
    }
}
