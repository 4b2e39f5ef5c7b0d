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
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.SignatureService;

import java.util.concurrent.CompletionStage;

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
    public CompletionStage<Response> sign(SignatureRequest request, @HeaderParam(IdempotencyKey.HEADER) String key) {
        String entityId = caller.get().entityId();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(entityId, key, "POST", "/api/v1/signatures", request);
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'caseIds' and 'signer' is required");
        }
        return Answers.response(signatures.sign(entityId, idempotencyKey, request.toSignature(), ActionResults::of));
    }
}
