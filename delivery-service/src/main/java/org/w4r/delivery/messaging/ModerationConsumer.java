package org.w4r.delivery.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.w4r.delivery.repository.LedgerWriter;
import org.w4r.events.Events;
import org.w4r.events.MessageReviewed;

import java.util.ArrayList;
import java.util.List;

/** Keeps the moderation decision of each solidarity message: only approved ones are counted in a solidarity handover. */
@ApplicationScoped
public class ModerationConsumer {
    private static final Logger LOG = Logger.getLogger(ModerationConsumer.class);

    @Inject
    LedgerWriter writer;

    @Inject
    StreamProgress progress;

    @Incoming("moderation")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        List<String> payloads = new ArrayList<>(records.count());
        records.forEach(r -> payloads.add(r.value()));
        List<MessageReviewed> events = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                MessageReviewed review = Events.fromJson(payload, MessageReviewed.class);
                if (review.eventId() == null || review.actionId() == null || review.caseId() == null
                        || review.occurredAt() == null || review.reviewedAt() == null) {
                    throw new IllegalArgumentException("incomplete");
                }
                events.add(review);
            } catch (RuntimeException e) {
                LOG.errorf("skipping an unreadable moderation event: %s", payload);
            }
        }
        BatchRetry.untilApplied("moderation events", events.size(), () -> writer.applyReviews(events));
        progress.applied(records);
    }
}
