package org.w4r.tally.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.events.ActionEvent;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.tally.service.TallyWriter;

import java.util.List;

/**
 * Applies action events in batches, one transaction per batch. The kit's {@link BatchConsumer} decides what to retry:
 * an outage is waited out (an acknowledged action must be counted), while an event that can never be counted goes to
 * {@code actions.dead-letter} so the partition behind it keeps moving.
 */
@ApplicationScoped
public class ActionConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    TallyWriter writer;

    @Incoming("actions")
    @Blocking
    public void consume(List<String> payloads) throws InterruptedException {
        consumer.consume(Topics.ACTIONS, payloads, ActionEvent.class, writer::apply);
    }
}
