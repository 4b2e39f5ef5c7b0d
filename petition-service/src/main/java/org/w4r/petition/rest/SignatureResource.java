package org.w4r.petition.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
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
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.petition.service.IdempotencyKey;
import org.w4r.petition.service.RateLimits;
import org.w4r.petition.service.SignerHasher;
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
    RateLimits limits;

    @Inject
    SignatureService signatures;

    @Inject
    SignerHasher hasher;

    /**
     * Answered 202 once the signature is committed (a group commit). Runs on the event loop that read the request:
     * everything before the commit is in memory (the caller's key, the rules' reference data, the rate limits, the
     * signer's HMAC), so handing each signature to a worker thread cost a fifth to a third of this service's CPU per
     * signature (docs/benchmarks.md). The one database read, a refused retry's earlier answer, goes to a worker.
     */
    @POST
    @Operation(operationId = "sign", summary = "Record one signer's signature for one or several cases",
            description = "Answered once stored: one result per case, 'accepted' (with its actionId) or 'duplicate' "
                    + "(this person had signed it: counted once).")
    @APIResponseSchema(value = ActionResults.class, responseCode = "202", responseDescription = "Stored")
    @APIResponse(responseCode = "404", description = "A case: " + Api.CASE_UNKNOWN)
    @APIResponse(responseCode = "409", description = Api.CAMPAIGN_RETIRED + " (a signature dated inside its window)")
    @APIResponse(responseCode = "422", description = "A case was closed after being active, the date "
            + "is outside the campaign window, " + Api.KEY_OR_VALUE_REFUSED)
    public CompletionStage<Response> sign(@Valid @NotNull SignatureRequest request,
                                          @HeaderParam(IdempotencyKey.HEADER) String key) {
        String entityId = caller.get().entityId();
        IdempotencyKey idempotencyKey = IdempotencyKey.of(entityId, key, "POST", "/api/v1/signatures", request, hasher);
        SignatureService.Signature signature = request.toSignature();
        limits.take(entityId, signature, key != null);
        return Answers.response(signatures.sign(entityId, idempotencyKey, signature, ActionResults::of));
    }
}
