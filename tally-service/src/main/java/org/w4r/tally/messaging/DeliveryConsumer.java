package org.w4r.tally.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.w4r.events.DeliveryEvent;
import org.w4r.events.Events;
import org.w4r.tally.service.DeliveryLedger;

/** Applies delivery-service's events (few, one partition): per event, retried until applied, never skipped. */
@ApplicationScoped
public class DeliveryConsumer {
    private static final Logger LOG = Logger.getLogger(DeliveryConsumer.class);

    @Inject
    DeliveryLedger ledger;

    @Incoming("deliveries")
    @Blocking
    public void consume(String payload) throws InterruptedException {
        DeliveryEvent event;
        try {
            event = Events.fromJson(payload, DeliveryEvent.class);
        } catch (RuntimeException e) {
            LOG.errorf("skipping an unreadable delivery event: %s", payload);
            return;
        }
        long backoffMs = 100;
        while (true) {
            try {
                ledger.apply(event);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot apply delivery event %s (%s); retrying in %d ms", event.eventId(), e.getMessage(), backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }
}
