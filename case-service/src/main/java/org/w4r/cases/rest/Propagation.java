package org.w4r.cases.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.w4r.cases.service.CredentialService;
import org.w4r.kit.outbox.OutboxRelay;

import java.sql.SQLException;
import java.time.Duration;

/**
 * For changes that must take effect everywhere at once (holds, revoked keys): the answer waits until the change
 * is on Kafka, where every service reads it within milliseconds. 200 if it got there in time; 202 if it is
 * committed and still on its way (the relay keeps retrying).
 */
@ApplicationScoped
public class Propagation {
    static final Duration WAIT = Duration.ofSeconds(2);

    @Inject
    OutboxRelay relay;

    Response.ResponseBuilder answer(long outboxId, Object body) {
        boolean propagated = reached(outboxId);
        return (propagated ? Response.ok(body) : Response.accepted(body)).header("W4R-Propagated", propagated);
    }

    /** For deletions: 204 once on Kafka, 202 while still on its way. */
    Response.ResponseBuilder done(long outboxId) {
        return done(reached(outboxId));
    }

    /**
     * A revocation: one made by this request is waited for; one made before is answered at once, from where its
     * tombstone is now (waiting on it again held a pooled connection for nothing: see {@code CredentialService}).
     */
    Response.ResponseBuilder done(CredentialService.Revocation revocation) {
        return revocation.repeated() ? done(revocation.propagated()) : done(revocation.outboxId());
    }

    private static Response.ResponseBuilder done(boolean propagated) {
        return Response.status(propagated ? 204 : 202).header("W4R-Propagated", propagated);
    }

    boolean reached(long outboxId) {
        try {
            return relay.awaitRelayed(outboxId, WAIT);
        } catch (SQLException e) {
            return false;
        }
    }
}
