package org.w4r.petition.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.w4r.kit.security.Caller;
import org.w4r.kit.security.Roles;
import org.w4r.kit.security.TokenIdentityProvider;

import java.util.Map;

/**
 * {@code w4r.actions{entity, kind, outcome}}: what entity websites send and what became of it, counted from the
 * answers themselves (one place, so no endpoint can forget). Outcomes: accepted, duplicate (the signer had already
 * signed), replayed (an Idempotency-Key retry), refused (any 4xx), failed (any 5xx). The entity tag is the caller's
 * entity id, never a staff principal: those are people.
 */
public class ActionMetrics {
    private static final Logger LOG = Logger.getLogger(ActionMetrics.class);

    /** The write endpoints and the kind each records; anything else is not counted here. */
    private static final Map<String, String> KINDS = Map.of(
            "SignatureResource.sign", "signature",
            "ActionResource.record", "action",
            "ActionResource.batch", "batch-item",
            "MessageResource.submit", "message",
            "OfflineCountResource.report", "offline-count",
            "OfflineCountResource.correct", "correction");

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @Inject
    CurrentVertxRequest vertxRequest;

    @ServerResponseFilter
    public void count(ContainerResponseContext response, SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return;
        }
        String kind = KINDS.get(resource.getResourceClass().getSimpleName() + "." + resource.getMethodName());
        if (kind == null) {
            return;
        }
        try {
            count(kind, response);
        } catch (RuntimeException e) {
            // a metric must never change an answer the caller is owed
            LOG.debugf("actions metric: %s", e.getClass().getSimpleName());
        }
    }

    private void count(String kind, ContainerResponseContext response) {
        String entity = entity();
        int status = response.getStatus();
        if (status >= 500) {
            count(entity, kind, "failed", 1);
        } else if (status >= 400) {
            count(entity, kind, "refused", 1);
        } else if ("true".equals(response.getHeaderString("Idempotent-Replayed"))) {
            count(entity, kind, "replayed", 1);
        } else {
            // summed first: a batch's thousand items are one counter increment per outcome, not a thousand lookups
            Map<String, Integer> outcomes = new java.util.TreeMap<>();
            results(outcomes, response.getEntity());
            outcomes.forEach((outcome, n) -> count(entity, kind, outcome, n));
        }
    }

    /**
     * The caller's entity, from the identity the request already resolved. Not through the SecurityContext: with
     * lazy authentication, asking it about a token that failed resolves the identity on the IO thread, and the 401
     * became a 500 (SignatureResourceTest caught it).
     */
    private String entity() {
        RoutingContext context = vertxRequest.getCurrent();
        if (context != null && context.user() instanceof QuarkusHttpUser user && user.getSecurityIdentity() != null) {
            Caller caller = user.getSecurityIdentity().getAttribute(TokenIdentityProvider.CALLER);
            if (caller != null && Roles.ENTITY.equals(caller.role()) && caller.entityId() != null) {
                return caller.entityId();
            }
        }
        return "none";
    }

    /**
     * Bodies are already JSON text here (the same bytes an Idempotency-Key replay returns), so they are read back as a
     * tree: one small parse per answer, off the database's critical path.
     */
    private void results(Map<String, Integer> outcomes, Object body) {
        JsonNode tree = body instanceof String text ? read(text) : body == null ? null : json.valueToTree(body);
        JsonNode items = tree == null ? null : tree.get("results");
        if (items == null || !items.isArray()) {
            outcomes.merge("accepted", 1, Integer::sum);
            return;
        }
        for (JsonNode item : items) {
            if (item.has("problem") || item.path("status").isInt() && item.path("status").asInt() >= 400) {
                outcomes.merge("refused", 1, Integer::sum); // a batch item its own endpoint would have refused
            } else if (item.has("result")) {
                results(outcomes, item.get("result"));
            } else {
                outcomes.merge(ActionResults.Result.DUPLICATE.equals(item.path("status").asText())
                        ? "duplicate" : "accepted", 1, Integer::sum);
            }
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private void count(String entity, String kind, String outcome, int n) {
        registry.counter("w4r.actions", "entity", entity, "kind", kind, "outcome", outcome).increment(n);
    }
}
