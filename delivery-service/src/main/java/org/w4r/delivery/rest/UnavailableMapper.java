package org.w4r.delivery.rest;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.w4r.delivery.service.UnavailableException;

/** 503 problem+json with Retry-After: nothing was changed, the same request can simply be sent again. */
public class UnavailableMapper {
    @ServerExceptionMapper
    public Response unavailable(UnavailableException e) {
        return Response.fromResponse(e.problem().toResponse())
                .header("Retry-After", String.valueOf(e.retryAfterSeconds())).build();
    }
}
