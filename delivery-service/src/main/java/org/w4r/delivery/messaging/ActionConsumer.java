package org.w4r.delivery.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.w4r.delivery.repository.LedgerWriter;
import org.w4r.events.ActionEvent;
import org.w4r.events.Events;

import java.util.ArrayList;
import java.util.List;

/** Keeps this service's own ledger of actions per case, from which handovers freeze their counts. */
@ApplicationScoped
public class ActionConsumer {
    private static final Logger LOG = Logger.getLogger(ActionConsumer.class);

    @Inject
    LedgerWriter writer;

    @Inject
    StreamProgress progress;

    @Incoming("actions")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        List<String> payloads = new ArrayList<>(records.count());
        records.forEach(r -> payloads.add(r.value()));
        List<ActionEvent> events = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                events.add(Events.fromJson(payload, ActionEvent.class));
            } catch (RuntimeException e) {
                // retrying cannot fix an unreadable event: log it so it can be looked into
                LOG.errorf("skipping an unreadable action event: %s", payload);
            }
        }
        BatchRetry.untilApplied("action events", events.size(), () -> writer.applyActions(events));
        progress.applied(records);
    }
}
