package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.Idempotency;
import org.w4r.petition.service.SignatureService;

/** Petition signatures from entity websites, authenticated by the entity's API key. */
@Path("/api/v1/signatures")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ENTITY)
public class SignatureResource {
    @Inject
    CurrentCaller caller;

    @Inject
    SignatureService signatures;

    @Inject
    Idempotency idempotency;

    @POST
    public Response sign(SignatureRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        String entityId = caller.get().entityId();
        return idempotency.run(entityId, key, "POST", "/api/v1/signatures", request,
                () -> new Idempotency.Answer(202, signatures.sign(entityId, request)));
    }
}
