package org.w4r.kit.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.w4r.kit.outbox.OutboxRelay;

/**
 * DOWN when the outbox relay's thread has ended while it should run ({@link OutboxRelay#alive}): only a restart
 * brings it back, so this is a liveness check, and Kubernetes restarts the pod (its liveness probe reads {@code
 * /q/health/live}). Compose does not restart a container for its health; there the alert W4ROutboxBacklogGrowing, on the
 * backlog's age, is what shows it. Accepted actions wait in the outbox meanwhile; none is lost.
 */
@Liveness
@ApplicationScoped
public class OutboxRelayHealth implements HealthCheck {
    @Inject
    OutboxRelay relay;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("outbox-relay").status(relay.alive()).build();
    }
}
