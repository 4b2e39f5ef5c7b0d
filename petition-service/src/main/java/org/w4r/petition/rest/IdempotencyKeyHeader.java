package org.w4r.petition.rest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.w4r.events.Events;
import org.w4r.kit.problem.Problem;
import org.w4r.petition.service.IdempotencyKey;

import java.util.List;

/**
 * An Idempotency-Key header that is sent but empty (or blank, or sent twice) is refused with 400. The endpoints never
 * see it: an empty header reaches them as no header, and the request took effect without the protection its
 * sender asked for (a retry then counted twice). A route handler, as it sees the raw headers.
 */
@ApplicationScoped
public class IdempotencyKeyHeader {
    void install(@Observes Router router) {
        String body = Events.toJson(Problem.of(400, "invalid-field", "Invalid field",
                        "the Idempotency-Key header must be sent once, with 1 to 200 characters")
                .with("field", IdempotencyKey.HEADER));
        router.route().order(Integer.MIN_VALUE + 2).handler(context -> {
            List<String> keys = context.request().headers().getAll(IdempotencyKey.HEADER);
            if (keys.size() > 1 || (keys.size() == 1 && keys.get(0).isBlank())) {
                context.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
                return;
            }
            context.next();
        });
    }
}
