package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN when a signature writer has ended while the service runs ({@link GroupCommit#writersAlive}). Readiness stayed up
 * while an instance had no writer left and every signature sent to it waited for ever (a read-only review, 6 December
 * 2026): not ready, so traffic goes to the other instance; and, as the outbox relay's thread
 * ({@code OutboxRelayHealth}), only a restart brings a writer back, so not live either. Meanwhile that instance refuses
 * signatures at once ({@code 503 overloaded}) once none is left.
 */
@Readiness
@Liveness
@ApplicationScoped
public class SignatureWritersHealth implements HealthCheck {
    @Inject
    GroupCommit groupCommit;

    @Override
    public HealthCheckResponse call() {
        int alive = groupCommit.writersAlive();
        int writers = groupCommit.writers();
        return HealthCheckResponse.named("signature-writers").status(alive > 0 && alive == writers)
                .withData("alive", alive).withData("writers", writers).build();
    }
}
