package org.w4r.tally.rest;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Slug;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.tally.service.CampaignService;
import org.w4r.tally.service.Heartbeats;
import org.w4r.tally.service.LiveStreams;
import org.w4r.tally.service.LiveTotalsService;
import org.w4r.tally.service.StreamTicketService;
import org.w4r.tally.service.StreamsStop;

/**
 * Server-Sent Events of the campaign's totals: event {@code totals} (the whole state) first, then {@code changes}
 * (only the case and entity totals that changed, absolute values) at most once per poll interval, and a comment as a
 * heartbeat in between ({@link Heartbeats}).
 * EventSource cannot send headers, so the stream opens with a short-lived single-use {@code ?ticket=} from
 * {@link StreamTicketResource}, and only so (one way in, as docs/security.md lists it); a long-lived token in the URL
 * is refused, since URLs end up in logs and histories.
 */
@Path("/api/v1/totals/stream")
@PermitAll
public class TotalsStreamResource {
    @Inject
    LiveTotalsService live;

    @Inject
    LiveStreams streams;

    @Inject
    StreamTicketService tickets;

    @Inject
    CampaignService campaigns;

    @Inject
    StreamsStop stop;

    @Inject
    Heartbeats heartbeats;

    @Context
    Sse sse;

    @GET
    @Blocking // the ticket's use is recorded in the database, shared by every instance
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "totalsStream", summary = "Server-Sent Events of the totals: 'totals', then 'changes'")
    @APIResponse(responseCode = "200", description = "The stream: event 'totals' (the whole state), then 'changes'; "
            + "a ':heartbeat' comment in between, every w4r.tally.public-cases.heartbeat",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = LiveTotalsService.Update.class)))
    @APIResponse(responseCode = "401", description = "No valid ?ticket= (unknown, expired, used, forged), or a token in the URL")
    @APIResponse(responseCode = "403", description = "The ticket's credential is no longer a staff role")
    @APIResponse(responseCode = "404", description = TotalsResource.NO_CAMPAIGN)
    @APIResponse(responseCode = "429", description = "This principal already has as many open streams as allowed")
    public Multi<OutboundSseEvent> stream(@QueryParam("campaign") @Slug String campaign,
                                          @QueryParam("ticket") @OneLine(max = 512) String ticket,
                                          @QueryParam("access_token") @OneLine(max = 512) String access_token) {
        StreamTicketService.Grant grant = credential(ticket, access_token);
        Caller caller = streams.caller(grant).orElseThrow(UnauthorizedException::new);
        if (!Roles.isStaff(caller.role())) {
            throw new ForbiddenException();
        }
        String id = campaigns.resolve(campaign).campaignId();
        LiveStreams.Session session = streams.open(caller.principal(), grant);
        return stop.untilStopping(heartbeats.around(live.updates(id, session))).onTermination().invoke(session::release)
                .map(update -> update.isEmpty() ? sse.newEventBuilder().comment("heartbeat").build()
                        : sse.newEventBuilder().name(update.get().kind())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(update.get()).build());
    }

    /** Who minted this request's ticket. */
    private StreamTicketService.Grant credential(String ticket, String accessToken) {
        if (accessToken != null) {
            throw new ProblemException(Problem.of(401, "token-in-url", "Token in URL",
                    "a token is not accepted in the URL; get a stream ticket with 'POST /api/v1/totals/stream-tickets' "
                            + "and open the stream with '?ticket='"));
        }
        if (ticket != null) {
            return tickets.redeem(ticket);
        }
        throw new UnauthorizedException();
    }
}
