package org.w4r.kit.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.kit.outbox.OutboxRelay;

/**
 * Counts what was set aside: outbox rows Kafka refused for good, and events a consumer could never apply. Both need a
 * person, not a restart, so the check stays UP and says how many (alert on the numbers, not on the status).
 */
@Readiness
@ApplicationScoped
public class DeadLetterHealth implements HealthCheck {
    @Inject
    OutboxRelay relay;

    @Inject
    BatchConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("dead-letters").up()
                .withData("consumerDeadLettered", consumer.deadLettered());
        if (relay.enabled()) {
            try {
                response.withData("outboxDeadLetters", relay.deadLetters());
            } catch (java.sql.SQLException e) {
                response.withData("outboxDeadLetters", "unknown: database unreachable");
            }
        }
        return response.build();
    }
}
