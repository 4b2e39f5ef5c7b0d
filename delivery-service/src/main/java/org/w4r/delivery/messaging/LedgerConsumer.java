package org.w4r.delivery.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.delivery.repository.LedgerWriter;
import org.w4r.events.ActionEvent;
import org.w4r.events.MessageReviewed;
import org.w4r.kit.messaging.BatchConsumer;

/**
 * Keeps this service's own ledger, from which handovers freeze their counts: the actions per case, and the
 * moderation decision of each solidarity message (only approved ones count in a solidarity handover). The kit's
 * consumer waits out outages (an acknowledged action must be counted), sets a poison event aside on the topic's dead
 * letter, and records how far each partition is applied ({@link StreamProgress} waits on it). Actions are applied
 * exactly once by the kit's window of consumed batches, stored with the ledger's cells in one transaction (the cells
 * are sums, so they cannot tell an action applied before); a review replaces only an older one, so moderation needs
 * no window.
 */
@ApplicationScoped
public class LedgerConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    LedgerWriter writer;

    @Incoming("actions")
    @Blocking
    public void actions(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consumeOnce("actions", records, ActionEvent.class, ActionEvent::eventId, writer::applyActions);
    }

    @Incoming("moderation")
    @Blocking
    public void reviews(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consume("moderation", records, MessageReviewed.class, writer::applyReviews);
    }
}
