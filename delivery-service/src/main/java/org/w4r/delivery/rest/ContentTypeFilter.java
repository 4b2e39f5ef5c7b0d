package org.w4r.delivery.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.w4r.delivery.service.Validation;

/**
 * A body sent without a Content-Type would otherwise be read as JSON by a JSON endpoint: refused (415) instead, so
 * what a caller did not declare is never guessed at.
 */
public class ContentTypeFilter {
    @ServerRequestFilter
    public void requireDeclaredBody(ContainerRequestContext request) {
        Validation.declaredBody(request.getHeaderString(HttpHeaders.CONTENT_TYPE),
                request.getHeaderString(HttpHeaders.CONTENT_LENGTH), request.getHeaderString("Transfer-Encoding"));
    }
}
