package org.w4r.petition.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.CompletionStage;
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

    /** Answered 202 once the signature is committed (a group commit); the worker thread is free meanwhile. */
    @POST
    @Blocking
    public CompletionStage<Response> sign(SignatureRequest request, @HeaderParam(Idempotency.HEADER) String key) {
        return signatures.sign(caller.get().entityId(), request, key);
    }
}
