package org.w4r.delivery.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.delivery.repository.LedgerWriter;
import org.w4r.events.ActionEvent;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.BatchConsumer;

/**
 * Keeps this service's own ledger of actions per case, from which handovers freeze their counts. The kit's consumer
 * waits out outages (an acknowledged action must be counted) and sets a poison event aside on the dead-letter topic.
 */
@ApplicationScoped
public class ActionConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    LedgerWriter writer;

    @Inject
    StreamProgress progress;

    @Incoming("actions")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consume(Topics.ACTIONS, StreamProgress.values(records), ActionEvent.class, writer::applyActions);
        progress.applied(records);
    }
}
