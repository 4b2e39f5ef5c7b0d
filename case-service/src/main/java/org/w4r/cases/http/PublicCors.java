package org.w4r.cases.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps Quarkus' CORS filter (the staff UI's origin only, for /api/) away from /public/: that filter holds one policy
 * for every path and refuses any other origin with a 403, and the public case list must stay readable from every
 * entity's website. A public GET's Origin is taken off before the filter (priority 300) sees it; the resource answers
 * {@code Access-Control-Allow-Origin: *} itself, as tally's public counter does.
 */
@ApplicationScoped
public class PublicCors {
    void register(@Observes Filters filters) {
        filters.register(rc -> {
            if (rc.request().method() == HttpMethod.GET && rc.normalizedPath().startsWith("/public/")) {
                rc.request().headers().remove(HttpHeaders.ORIGIN);
            }
            rc.next();
        }, 400);
    }
}
