package org.w4r.kit.json;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

/**
 * A body sent without a Content-Type would be read as JSON by a JSON endpoint: refused with 415 instead, in every
 * service, so what a caller did not declare is never guessed at.
 */
public class DeclaredBody {
    @ServerRequestFilter
    public void requireDeclaredBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean hasBody = request.getHeaderString("Transfer-Encoding") != null
                || (length != null && !length.trim().equals("0"));
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (hasBody && (type == null || type.isBlank())) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "a request with a body must say what it is in Content-Type (application/json, or text/csv for "
                            + "imports)"));
        }
    }
}
