package org.w4r.tally.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.w4r.kit.security.Credentials;
import org.w4r.tally.service.StreamTickets;

/**
 * Exchanges the staff token (in the header, where it belongs) for a ticket that opens one live stream within
 * seconds, so the long-lived token never travels in a URL.
 */
@Path("/api/v1/totals/stream-tickets")
@RolesAllowed({"coordinator", "case-manager", "delivery", "moderator"})
public class StreamTicketResource {
    private static final int BEARER = "Bearer ".length();

    @Inject
    StreamTickets tickets;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public StreamTickets.Ticket issue(@HeaderParam("Authorization") String authorization) {
        // authenticated by the bearer mechanism, so the header holds a known token
        return tickets.issue(Credentials.sha256(authorization.substring(BEARER).trim()));
    }
}
