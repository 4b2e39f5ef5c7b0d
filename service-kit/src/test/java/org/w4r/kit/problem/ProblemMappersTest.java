package org.w4r.kit.problem;

import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aCallerThatClosedItsConnectionIsNotAServerError() {
        Response closed = mappers.unexpected(new UncheckedIOException(new java.io.IOException(new ClosedChannelException())));
        assertEquals(400, closed.getStatus());
        assertEquals(400, mappers.unexpected(new RuntimeException(new HttpClosedException("Connection was closed"))).getStatus());
    }

    @Test
    void anythingElseUnexpectedIsStillA500() {
        assertEquals(500, mappers.unexpected(new IllegalStateException("a bug")).getStatus());
        assertEquals(500, mappers.unexpected(new UncheckedIOException(new java.io.IOException("disk"))).getStatus());
    }

    @Test
    void aProblemWithAWaitSaysItAsRetryAfterToo() {
        Response refused = mappers.problem(new ProblemException(Problem.of(429, "rate-limited", "Rate limited", "wait")
                .retryAfter(7)));
        assertEquals("7", refused.getHeaderString(Problem.RETRY_AFTER));
        assertEquals(7L, ((Problem) refused.getEntity()).any().get("retryAfterSeconds"));
        Response unavailable = DatabaseProblems.outcomeUnknown().toResponse();
        assertEquals("1", unavailable.getHeaderString(Problem.RETRY_AFTER));
        assertEquals(null, Problem.of(409, "conflict", "Conflict", "no wait").toResponse().getHeaderString(Problem.RETRY_AFTER));
    }
}
