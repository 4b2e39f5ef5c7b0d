package org.w4r.tally.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.w4r.events.ActionEvent;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.tally.service.CountingService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Applies action events in batches, one transaction per batch, each event once (the kit's window of applied offsets
 * and event ids, stored in the transaction of the counts). The kit's {@link BatchConsumer} decides what to retry:
 * an outage is waited out (an acknowledged action must be counted), while an event that can never be counted goes to
 * {@code actions.dead-letter} so the partition behind it keeps moving.
 */
@ApplicationScoped
public class ActionConsumer {
    @Inject
    BatchConsumer consumer;

    @Inject
    CountingService writer;

    @Inject
    MeterRegistry registry;

    @Incoming("actions")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        consumer.consumeOnce("actions", records, ActionEvent.class, ActionEvent::eventId, events -> {
            writer.apply(events);
            fresh(events);
        });
    }

    /** Recorded → counted: how far behind petition-service the dashboard's figures are (the writer has committed). */
    private void fresh(List<ActionEvent> events) {
        Timer freshness = registry.timer("w4r.tally.freshness");
        Instant now = Instant.now();
        for (ActionEvent event : events) {
            if (event.recordedAt() != null) {
                Duration behind = Duration.between(event.recordedAt(), now);
                freshness.record(behind.isNegative() ? Duration.ZERO : behind);
            }
        }
    }
}
