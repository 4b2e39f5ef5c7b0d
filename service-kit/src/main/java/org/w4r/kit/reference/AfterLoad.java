package org.w4r.kit.reference;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.w4r.kit.problem.Problem;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The paths a service answers only once it has read the reference topics to their end once
 * ({@code w4r.after-load.paths}, prefixes; {@code w4r.after-load.except}, exact paths): until then every request to
 * them is {@code 503 starting-up} with {@code Retry-After}, never stored under an Idempotency-Key. Readiness is DOWN
 * meanwhile, but {@code ./platform} and the compose file publish the ports directly, and nothing else waited:
 * <ul>
 * <li>tally-service's {@code /public/}: its read model may hold a case as an older record left it, before a safety
 * hold, and a counter, the open data or the public case stream would show it by name and count (a read-only review,
 * 7 December 2026);</li>
 * <li>petition-service's {@code /api/}: a case or campaign not yet read was refused {@code 404}/{@code 422}, and the
 * refusal kept under the caller's Idempotency-Key for two days, so the signature was lost and every retry refused
 * (a read-only review, 8 December 2026).</li>
 * </ul>
 * Fails closed for every path under a prefix, one added later included. One place rather than a check per answer.
 */
@ApplicationScoped
public class AfterLoad {
    static final long RETRY_AFTER_SECONDS = 5;

    @Inject
    ReferenceData reference;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "w4r.after-load.paths")
    Optional<List<String>> paths;

    @ConfigProperty(name = "w4r.after-load.except")
    Optional<List<String>> except;

    void register(@Observes Filters filters) {
        if (!prefixes().isEmpty()) {
            filters.register(gate(reference::isCaughtUp, json, prefixes(), except.orElse(List.of())), 110);
        }
    }

    /** The path prefixes this service answers only after the load. */
    public List<String> prefixes() {
        return paths.orElse(List.of());
    }

    /** The filter itself, over what says the reference data was read ({@code loaded}). */
    public static Handler<RoutingContext> gate(BooleanSupplier loaded, ObjectMapper json, List<String> prefixes,
                                               List<String> except) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Problem.of(503, "starting-up", "Starting up",
                    "this instance is still reading the campaigns and cases; nothing was stored: try again in a few "
                            + "seconds").retryAfter(RETRY_AFTER_SECONDS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return rc -> {
            String path = rc.normalizedPath();
            if (prefixes.stream().noneMatch(path::startsWith) || except.contains(path)
                    || rc.request().method() == HttpMethod.OPTIONS || loaded.getAsBoolean()) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(503)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader(Problem.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS))
                    .putHeader("Cache-Control", "no-store"); // a CDN must not keep a refusal for a whole period
            if (path.startsWith("/public/")) {
                // every public read answers any origin: an entity's page must tell this from a network failure
                rc.response().putHeader("Access-Control-Allow-Origin", "*");
            }
            rc.response().end(Buffer.buffer(body));
        };
    }
}
