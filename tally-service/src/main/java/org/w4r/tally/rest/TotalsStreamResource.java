package org.w4r.tally.rest;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.Credentials;
import org.w4r.kit.security.Roles;
import org.w4r.tally.service.Campaigns;
import org.w4r.tally.service.LiveTotals;

/**
 * Server-Sent Events of the campaign's totals: event {@code totals} (the whole state) first, then {@code changes}
 * (only the case and entity totals that changed, absolute values) at most once per poll interval.
 * Browsers' EventSource cannot send headers, so on this endpoint only the staff token may also come as
 * {@code ?access_token=} (keep such URLs out of logs and referrers: the page itself sends no Referer for them).
 */
@Path("/api/v1/totals/stream")
@PermitAll
public class TotalsStreamResource {
    private static final String BEARER = "bearer ";

    @Inject
    LiveTotals live;

    @Inject
    Campaigns campaigns;

    @Inject
    ReferenceData tokens;

    @Context
    Sse sse;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@QueryParam("campaign") String campaignId,
                                          @QueryParam("access_token") String accessToken,
                                          @HeaderParam("Authorization") String authorization) {
        requireStaff(authorization, accessToken);
        String id = campaigns.resolve(campaignId).campaignId();
        return live.updates(id).map(update -> sse.newEventBuilder().name(update.kind())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(update).build());
    }

    private void requireStaff(String authorization, String accessToken) {
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            token = authorization.substring(BEARER.length()).trim();
        } else if (accessToken != null && !accessToken.isBlank()) {
            token = accessToken;
        }
        if (token == null) {
            throw new UnauthorizedException();
        }
        Caller caller = tokens.findBySha256(Credentials.sha256(token)).orElseThrow(UnauthorizedException::new);
        if (!Roles.STAFF.contains(caller.role())) {
            throw new ForbiddenException();
        }
    }
}
