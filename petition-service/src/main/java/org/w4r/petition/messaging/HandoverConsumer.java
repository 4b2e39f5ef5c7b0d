package org.w4r.petition.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.events.DeliveryEvent;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.petition.service.RetentionService;

/**
 * Reads delivery-service's handovers for the retention schedule, which counts from a campaign's last one. Only the
 * latest handover time per campaign is kept, so reading an event twice, or out of order, changes nothing: no
 * consumed-events window is needed. Plans and cancellations are not handovers and are passed over.
 */
@ApplicationScoped
public class HandoverConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    RetentionService retention;

    @Incoming("handovers")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consume("handovers", records, DeliveryEvent.class, retention::handovers);
    }
}
