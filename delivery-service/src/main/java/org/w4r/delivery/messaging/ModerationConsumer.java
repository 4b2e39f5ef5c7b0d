package org.w4r.delivery.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.delivery.repository.LedgerWriter;
import org.w4r.events.MessageReviewed;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.BatchConsumer;

/** Keeps the moderation decision of each solidarity message: only approved ones are counted in a solidarity handover. */
@ApplicationScoped
public class ModerationConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    LedgerWriter writer;

    @Inject
    StreamProgress progress;

    @Incoming("moderation")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consume(Topics.MODERATION, StreamProgress.values(records), MessageReviewed.class, writer::applyReviews);
        progress.applied(records);
    }
}
