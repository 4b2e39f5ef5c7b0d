package org.w4r.tally.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.tally.service.DeliveryLedger;

import java.util.List;

/**
 * Applies delivery-service's events (few, one partition) one at a time through the kit's {@link BatchConsumer}: an
 * outage is waited out, an event that can never apply goes to {@code deliveries.dead-letter}.
 */
@ApplicationScoped
public class DeliveryConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    DeliveryLedger ledger;

    @Incoming("deliveries")
    @Blocking
    public void consume(String payload) throws InterruptedException {
        consumer.consume(Topics.DELIVERIES, List.of(payload), DeliveryEvent.class,
                events -> events.forEach(ledger::apply));
    }
}
