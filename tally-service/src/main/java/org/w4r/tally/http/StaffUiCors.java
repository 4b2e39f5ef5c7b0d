package org.w4r.tally.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.CorsHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CORS for the staff UI (its own origin: docs/staff-ui.md) on /api/ only. Not Quarkus' CORS filter, which the other
 * services use: it holds one policy for every path and refuses any other origin with a 403, and the public counter
 * (/public/v1/...) must stay readable from every entity's website (it answers its own {@code *}). Vert.x Web's
 * handler, limited to /api/, gives the API exactly the UI's origin and leaves the counter alone.
 */
@ApplicationScoped
public class StaffUiCors {
    void register(@Observes Filters filters,
                  @ConfigProperty(name = "w4r.tally.cors.origins") List<String> origins) {
        CorsHandler cors = CorsHandler.create()
                // DELETE: a coordinator deletes an entity's webhook from the entity's page (a security review,
                // 6 December 2026: the page had no way to, and the preflight refused the method)
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE))
                .allowedHeaders(Set.of("Authorization", "Content-Type"));
        List<Pattern> allowed = new ArrayList<>();
        for (String origin : origins) {
            // as quarkus.http.cors.origins reads it: an entry between slashes is a regular expression
            String regex = origin.length() > 2 && origin.startsWith("/") && origin.endsWith("/")
                    ? origin.substring(1, origin.length() - 1) : Pattern.quote(origin.trim());
            cors.addRelativeOrigin(regex);
            allowed.add(Pattern.compile(regex));
        }
        filters.register(rc -> {
            String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
            // another origin gets no CORS header, so its browser keeps the answer from it; handing it to the handler
            // would fail the request, and log an error for every stray Origin
            if (origin != null && rc.normalizedPath().startsWith("/api/")
                    && allowed.stream().anyMatch(p -> p.matcher(origin).matches())) {
                cors.handle(rc);
            } else {
                rc.next();
            }
        }, 200);
    }
}
