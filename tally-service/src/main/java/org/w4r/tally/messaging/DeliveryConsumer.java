package org.w4r.tally.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.events.DeliveryEvent;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.tally.service.DeliveryLedgerService;

/**
 * Applies delivery-service's events through the kit's {@link BatchConsumer}, a batch in one transaction, each event
 * once (the kit's window, in the same transaction): an outage is
 * waited out, an event that can never apply goes to {@code deliveries.dead-letter}.
 */
@ApplicationScoped
public class DeliveryConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    DeliveryLedgerService ledger;

    @Incoming("deliveries")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consumeOnce("deliveries", records, DeliveryEvent.class, DeliveryEvent::eventId, events -> events.forEach(ledger::apply));
    }
}
