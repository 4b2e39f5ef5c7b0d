package org.w4r.tally.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Open data is readable from any origin, its refusals too (a page on another site must be able to tell "no open data"
 * from a network failure): every answer under /public/v1/open-data/ says {@code *}, set here once rather than by each
 * answer and each problem mapper. GET only, no credentials, so no preflight is needed.
 */
@ApplicationScoped
public class OpenDataCors {
    static final String PATH = "/public/v1/open-data/";

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            if (rc.normalizedPath().startsWith(PATH)) {
                rc.response().putHeader("Access-Control-Allow-Origin", "*")
                        .putHeader("Access-Control-Expose-Headers", "ETag");
            }
            rc.next();
        }, 100);
    }
}
