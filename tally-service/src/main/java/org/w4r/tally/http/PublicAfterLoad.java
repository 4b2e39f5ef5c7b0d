package org.w4r.tally.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.reference.ReferenceData;

import java.util.function.BooleanSupplier;

/**
 * Nothing under /public/ is answered until this instance has read the case list to its end once: until then its read
 * model may hold a case as an older record left it, before a safety hold, and every public answer (a counter, the open
 * data, the public case stream and its demo page) would show that case by name and count to anyone. Found by a
 * read-only review, 7 December 2026: readiness stayed DOWN meanwhile, but `./platform` and the compose file publish
 * the port directly, and nothing else waited. Fails closed for every public path, a new one included; the counter's
 * script is the one exception (a static file, the same for every case). One place rather than a check per answer.
 */
@ApplicationScoped
public class PublicAfterLoad {
    static final String PATH = "/public/";
    static final String SCRIPT = "/public/v1/counter.js";
    static final long RETRY_AFTER_SECONDS = 5;

    @Inject
    ReferenceData reference;

    @Inject
    ObjectMapper json;

    void register(@Observes Filters filters) {
        filters.register(gate(reference::isCaughtUp, json), 110);
    }

    /** The filter itself, over what says the case list was read ({@code loaded}). */
    static Handler<RoutingContext> gate(BooleanSupplier loaded, ObjectMapper json) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Problem.of(503, "starting-up", "Starting up",
                    "this instance is still reading the cases; try again in a few seconds").retryAfter(RETRY_AFTER_SECONDS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return rc -> {
            String path = rc.normalizedPath();
            if (!path.startsWith(PATH) || path.equals(SCRIPT) || rc.request().method() == HttpMethod.OPTIONS
                    || loaded.getAsBoolean()) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(503)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader(Problem.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS))
                    .putHeader("Cache-Control", "no-store") // a CDN must not keep a refusal for a whole counter period
                    .putHeader("Access-Control-Allow-Origin", "*") // an entity's page must tell it from a network failure
                    .end(Buffer.buffer(body));
        };
    }
}
