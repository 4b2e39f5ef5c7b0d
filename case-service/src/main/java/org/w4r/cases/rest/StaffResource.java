package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.cases.model.Credential;
import org.w4r.cases.service.CredentialService;

import java.time.Instant;
import java.util.List;

/** Staff tokens (coordinator, case-manager, delivery, moderator), issued and revoked by case managers. */
@Path("/api/v1/staff")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("case-manager")
public class StaffResource {
    @Inject
    CredentialService credentials;

    @Inject
    Propagation propagation;

    public record TokenRequest(String principal, String role, Instant expiresAt) {
    }

    public record NewToken(String principal, String role, String keyId, String token, Instant createdAt,
                           Instant expiresAt) {
    }

    public record TokenView(String principal, String role, String keyId, Instant createdAt, Instant expiresAt,
                            Instant revokedAt) {
    }

    @GET
    public List<TokenView> list() {
        return Credential.<Credential>list("entityId is null order by principal, createdAt").stream()
                .map(k -> new TokenView(k.principal, k.role, k.keyId, k.createdAt, k.expiresAt, k.revokedAt)).toList();
    }

    @POST
    public Response issue(TokenRequest request) {
        TokenRequest r = CaseResource.required(request);
        CredentialService.Issued issued = credentials.issueStaffToken(r.principal(), r.role(), r.expiresAt());
        return propagation.answer(issued.outboxId(), new NewToken(r.principal(), r.role(), issued.credential().keyId,
                issued.secret(), issued.credential().createdAt, issued.credential().expiresAt)).status(201).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("{principal}/tokens/{keyId}")
    public Response revoke(@PathParam("principal") String principal, @PathParam("keyId") String keyId) {
        long outboxId = credentials.revoke(principal, keyId, false);
        return propagation.done(outboxId).build();
    }
}
