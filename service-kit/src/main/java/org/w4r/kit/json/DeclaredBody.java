package org.w4r.kit.json;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.w4r.events.Events;
import org.w4r.kit.problem.Problem;

/**
 * A body sent without a Content-Type, or with a wildcard one such as {@code *}{@code /*}, would be read as JSON by a JSON
 * endpoint: refused with 415 instead, in every
 * service and before any endpoint sees it, so what a caller did not declare is never guessed at. (As a route
 * handler, like {@code BodyLimit}: a JAX-RS request filter was not consulted for such a request.)
 */
@ApplicationScoped
public class DeclaredBody {
    void install(@Observes Router router) {
        String body = Events.toJson(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                "a request with a body must say what it is in Content-Type (application/json, or text/csv for imports)"));
        router.route().order(Integer.MIN_VALUE + 1).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            boolean hasBody = context.request().getHeader("Transfer-Encoding") != null
                    || (length != null && !length.trim().equals("0"));
            String type = context.request().getHeader("Content-Type");
            // "*/*" declares nothing either (a common client default), yet a JSON endpoint would accept it
            if (hasBody && (type == null || type.isBlank() || type.contains("*"))) {
                context.response().setStatusCode(415).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
                return;
            }
            context.next();
        });
    }
}
