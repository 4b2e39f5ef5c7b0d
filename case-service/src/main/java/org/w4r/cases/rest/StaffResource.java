package org.w4r.cases.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.w4r.cases.model.Credential;
import org.w4r.cases.service.CredentialService;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.CampaignEra;

import java.time.Instant;
import java.util.List;

/** Staff tokens (coordinator, case-manager, delivery, moderator), issued and revoked by case managers. */
@Path("/api/v1/staff")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CASE_MANAGER)
@Tag(name = "staff")
public class StaffResource {
    static final String STAFF_ROLES = "^(" + Roles.COORDINATOR + "|" + Roles.CASE_MANAGER + "|" + Roles.DELIVERY + "|"
            + Roles.MODERATOR + ")$";

    @Inject
    CredentialService credentials;

    @Inject
    Propagation propagation;

    @Inject
    CurrentCaller caller;

    public record TokenRequest(
            @NotNull @Pattern(regexp = Credential.PRINCIPAL, message = "must be 1 to 100 letters, digits, '.', '_' or "
                    + "'-', starting with a letter or digit: a name for the token, not an email (every service reads it)")
            // an opaque example: it was "maria.lopez", which invited a person's name into every service's copy of the
            // credentials topic and into the audit trail (a read-only review, 6 December 2026)
            @Schema(example = "cm-7f3a", description = "an opaque name for the token, never a person's name or "
                    + "email: it travels on the credentials topic every service reads and in audit entries") String principal,
            @NotNull @Pattern(regexp = STAFF_ROLES) @Schema(enumeration = {Roles.COORDINATOR, Roles.CASE_MANAGER,
                    Roles.DELIVERY, Roles.MODERATOR}) String role,
            @CampaignEra(daysAhead = 366) @Schema(description = "default 90 days ahead, at most a year") Instant expiresAt) {
    }

    public record NewToken(String principal, String role, String keyId, String token, Instant createdAt,
                           Instant expiresAt) {
    }

    public record TokenView(String principal, String role, String keyId, Instant createdAt,
                            @Schema(nullable = true, implementation = String.class, format = "date-time") Instant expiresAt, @Schema(nullable = true, implementation = String.class, format = "date-time") Instant revokedAt) {
    }

    @GET
    @Operation(operationId = "listStaffTokens", summary = "Every staff token, never its secret")
    public List<TokenView> list() {
        return Credential.<Credential>list("entityId is null order by principal, createdAt").stream()
                .map(k -> new TokenView(k.principal, k.role, k.keyId, k.createdAt, k.expiresAt, k.revokedAt)).toList();
    }

    @POST
    @Operation(operationId = "issueStaffToken", summary = "A new staff token, shown once")
    @APIResponseSchema(value = NewToken.class, responseCode = "201", responseDescription = "Issued: the only answer that shows the token")
    @APIResponse(responseCode = "409", description = "role-mismatch (one principal has one role) or principal-is-entity")
    public Response issue(@Valid @NotNull TokenRequest request) {
        CredentialService.Issued issued = credentials.issueStaffToken(request.principal(), request.role(),
                request.expiresAt(), caller.get());
        return propagation.answer(issued.outboxId(), new NewToken(request.principal(), request.role(),
                        issued.credential().keyId, issued.secret(), issued.credential().createdAt,
                        issued.credential().expiresAt))
                .status(201).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("{principal}/tokens/{keyId}")
    @Operation(operationId = "revokeStaffToken", summary = "Revoke a token; answered once every service refuses it")
    @APIResponse(responseCode = "204", description = "Revoked (now or before), and on Kafka for every service (W4R-Propagated: true)")
    @APIResponse(responseCode = "202", description = "Revoked (now or before) and stored; still on its way (W4R-Propagated: false)")
    @APIResponse(responseCode = "404", description = "No such token for this principal")
    public Response revoke(@PathParam("principal") String principal, @PathParam("keyId") String keyId) {
        return propagation.done(credentials.revoke(principal, keyId, false, caller.get())).build();
    }
}
