package org.w4r.kit.problem;

import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();

    {
        mappers.lostConnections = LostConnections.of(null); // no pool: nothing to drop
    }

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

    /**
     * A deadlock or serialization failure is PostgreSQL rolling one transaction back to let another pass: nothing was
     * stored and the same request again may pass; it was a 500 (read-only review, 6 December 2026).
     */
    @Test
    void aTransactionTheDatabaseRefusedForAConcurrentOneIsA503ToRetry() {
        for (String state : new String[]{"40P01", "40001"}) {
            Response refused = mappers.unexpected(new RuntimeException(new java.sql.SQLException("deadlock", state)));
            assertEquals(503, refused.getStatus(), state);
            assertEquals("1", refused.getHeaderString(Problem.RETRY_AFTER));
            assertTrue(((Problem) refused.getEntity()).type().endsWith("/database-conflict"), state);
        }
        assertEquals(500, mappers.unexpected(new RuntimeException(new java.sql.SQLException("syntax", "42601"))).getStatus());
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
