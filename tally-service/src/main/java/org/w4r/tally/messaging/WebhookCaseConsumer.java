package org.w4r.tally.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.events.CaseChanged;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.tally.service.WebhookDispatcher;
import org.w4r.tally.service.WebhookService;

/**
 * Turns the {@code cases} topic into webhook deliveries (group {@code tally-service-webhooks}, its own, so the read
 * model's reading of the same topic is untouched): through the kit's {@link BatchConsumer}, each event once, the
 * deliveries queued in the batch's transaction; then wakes the dispatcher, so a hold is sent as soon as it is committed.
 */
@ApplicationScoped
public class WebhookCaseConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    WebhookService webhooks;

    @Inject
    WebhookDispatcher dispatcher;

    @Incoming("webhook-cases")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consumeOnce("webhook-cases", records, CaseChanged.class, CaseChanged::eventId, webhooks::onCases);
        dispatcher.wake();
    }
}
