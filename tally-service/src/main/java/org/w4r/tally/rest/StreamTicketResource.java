package org.w4r.tally.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.Credentials;
import org.w4r.kit.security.CurrentCaller;
import org.w4r.kit.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.w4r.tally.service.StreamTicketService;

import java.time.Instant;

/**
 * Exchanges the staff token (in the header, where it belongs) for a ticket that opens one live stream within
 * seconds, so the long-lived token never travels in a URL.
 */
@Path("/api/v1/totals/stream-tickets")
@RolesAllowed({Roles.COORDINATOR, Roles.CASE_MANAGER, Roles.DELIVERY, Roles.MODERATOR})
public class StreamTicketResource {
    private static final int BEARER = "Bearer ".length();
    /** Set by quarkus-oidc on an identity from an access token: the token's {@code exp}, in epoch seconds. */
    private static final String EXPIRES = "quarkus.identity.expire-time";

    @Inject
    StreamTicketService tickets;

    @Inject
    CurrentCaller caller;

    @Inject
    SecurityIdentity identity;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "issueStreamTicket", summary = "A single-use ticket that opens one live stream within seconds")
    @APIResponseSchema(value = StreamTicketService.Ticket.class, responseDescription = "The ticket and when it expires")
    public StreamTicketService.Ticket issue(@HeaderParam("Authorization") @Parameter(hidden = true) String authorization) {
        Caller who = caller.get();
        if (who.signedIn()) {
            Long expires = identity.getAttribute(EXPIRES);
            return tickets.issue(StreamTicketService.Grant.signedIn(who.principal(), who.role(),
                    Instant.ofEpochSecond(expires)));
        }
        // a key or staff token of ours, authenticated by the bearer mechanism, so the header holds it
        return tickets.issue(StreamTicketService.Grant.credential(Credentials.sha256(authorization.substring(BEARER).trim())));
    }
}
