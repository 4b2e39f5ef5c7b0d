package org.w4r.kit.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every answer to a request that carried credentials is {@code Cache-Control: no-store} unless its endpoint said
 * otherwise. Staff pages read message authors' names, hold reasons and the audit trail's addresses; without a header a
 * browser keeps such answers in its disk cache, where "sign out" (which clears the tab's token) does not reach, on a
 * shared or seized laptop (a read-only review, 6 December 2026: only the signer list, packs and new secrets said
 * no-store). One filter for every service, so no endpoint can forget. Anonymous public answers keep their own
 * {@code public} caching.
 */
public class NoStoreForCallers {
    @ServerResponseFilter
    public void noStore(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null
                && !response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
