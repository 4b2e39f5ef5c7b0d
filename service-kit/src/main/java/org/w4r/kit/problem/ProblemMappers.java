package org.w4r.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Every error leaves as problem+json: 4xx for the caller's mistakes; a 5xx is a bug and is logged. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @jakarta.inject.Inject
    LostConnections lostConnections;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(Problem.of(401, "unauthorized", "Unauthorized",
                        "send a valid API key or staff token as 'Authorization: Bearer <token>'").toResponse())
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "forbidden", "Forbidden", "this credential's role may not do this").toResponse();
    }

    /** Bean Validation of a request record, query or path parameter (org.w4r.kit.validation). */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response invalid(jakarta.validation.ConstraintViolationException e) {
        return org.w4r.kit.validation.Violations.problem(e.getConstraintViolations()).toResponse();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return Problem.of(400, "malformed-json", "Malformed JSON", "the request body is not valid JSON").toResponse();
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (field.isEmpty()) {
            return Problem.of(400, "bad-request", "Unexpected body", "the request body does not have the expected shape")
                    .toResponse();
        }
        return Problem.of(400, "invalid-field", "Invalid field", "field '" + field + "' has a value of the wrong type or format")
                .with("field", field).toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return Problem.of(400, "bad-request", "Unreadable JSON", "the request body cannot be read as this endpoint's JSON")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("server error %d: %s", status, org.w4r.kit.messaging.Failures.describe(e));
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        return Problem.of(status, "http-" + status, info.getReasonPhrase(), e.getMessage()).toResponse();
    }

    /** A connection the caller closed (or reset) mid-request, anywhere in the cause chain. */
    static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.channels.ClosedChannelException || t instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    /** An Error reaching a resource (PgJDBC's batch assertion, see {@link DatabaseProblems#lostInBatch}) is answered the same way. */
    @ServerExceptionMapper
    public Response error(AssertionError e) {
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return unexpected((Throwable) e);
    }

    private Response unexpected(Throwable e) {
        java.util.Optional<Problem> unreachable = DatabaseProblems.unreachable(e);
        if (unreachable.isPresent()) {
            lostConnections.after(e);
            return unreachable.get().toResponse(); // not a bug: the database went away (logged there, by SQLSTATE)
        }
        if (clientWentAway(e)) {
            // The fault suite's first load client (HTTP/2) reset requests it had timed out; Vert.x then closed the
            // connection while the body was being read, and each one was logged as a bug and counted as a 500. The
            // caller left: nothing was read, nothing stored, and no one reads this answer.
            LOG.debugf("the client closed the connection before its request was read: %s", e.getClass().getSimpleName());
            return Problem.of(400, "request-incomplete", "Request incomplete",
                    "the connection closed before the request body was read; nothing was stored").toResponse();
        }
        // the type, SQLSTATE and stack only: a message from the driver or Hibernate can quote what was sent
        LOG.errorf("unexpected error (a bug): %s%n%s", org.w4r.kit.messaging.Failures.describe(e),
                org.w4r.kit.messaging.Failures.frames(e));
        return Problem.of(500, "internal", "Internal error", "an unexpected error occurred; it has been logged")
                .toResponse();
    }
}
