package org.w4r.petition.rest;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.w4r.petition.service.RateLimited;

/** A rate limit's refusal: the kit's problem, with the wait in whole seconds as {@code Retry-After} (RFC 9110). */
public class RateLimitedAnswer {
    static final String RETRY_AFTER = "Retry-After";

    @ServerExceptionMapper
    public Response rateLimited(RateLimited refusal) {
        return Response.fromResponse(refusal.problem().toResponse())
                .header(RETRY_AFTER, refusal.retryAfterSeconds()).build();
    }
}
