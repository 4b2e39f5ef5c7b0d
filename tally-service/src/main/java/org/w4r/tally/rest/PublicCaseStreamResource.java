package org.w4r.tally.rest;

import org.w4r.kit.validation.QueryGuard;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.w4r.kit.problem.Problem;
import org.w4r.tally.service.PublicCases;
import org.w4r.tally.service.StreamsStop;

/**
 * Server-Sent Events of the public case state, for entity websites that cannot receive webhooks: event {@code cases}
 * (the whole list of public cases, its digest as the SSE {@code id}) at once, then again whenever the list changes,
 * and a comment as a heartbeat in between. Anonymous and from any origin, so the number of open streams per instance
 * is capped: beyond it 503 with Retry-After, and a flood of anonymous streams costs a refusal, not the service.
 */
@Path("/public/v1/cases/stream")
@PermitAll
public class PublicCaseStreamResource {
    /** How long a refused client is asked to wait: long enough for a flood to pass, short for a real reader. */
    static final int RETRY_AFTER_SECONDS = 30;

    @Inject
    PublicCases cases;

    @Inject
    StreamsStop stop;

    @Context
    Sse sse;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ResponseHeader(name = "Access-Control-Allow-Origin", value = "*")
    @Operation(operationId = "publicCaseStream",
            summary = "Server-Sent Events of the public cases: 'cases' now, then on every change (no credentials, any origin)")
    @APIResponse(responseCode = "200", description = "The stream: event 'cases' (the whole list) now and on every change",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = PublicCases.PublicCaseList.class)))
    @APIResponse(responseCode = "400", description = QueryGuard.REFUSED)
    @APIResponse(responseCode = "503", description = "This instance has as many public streams open as allowed; see Retry-After")
    public Multi<OutboundSseEvent> stream() {
        Runnable release = cases.admit().orElseThrow(() -> new WebApplicationException(Response.fromResponse(
                        Problem.of(503, "too-many-streams", "Too many streams",
                                "this instance has as many public case streams open as it allows; try again later")
                                .retryAfter(RETRY_AFTER_SECONDS).toResponse())
                .header("Access-Control-Allow-Origin", "*").build()));
        return stop.untilStopping(cases.stream()).onTermination().invoke(release)
                .map(tick -> tick.state() == null ? sse.newEventBuilder().comment("heartbeat").build()
                        : sse.newEventBuilder().name("cases").id(tick.state().id())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(tick.state()).build());
    }
}
