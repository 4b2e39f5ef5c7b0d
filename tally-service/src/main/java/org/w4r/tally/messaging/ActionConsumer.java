package org.w4r.tally.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.w4r.events.ActionEvent;
import org.w4r.events.Events;
import org.w4r.tally.service.TallyWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies action events in batches, one transaction per batch. A failing transaction is retried until it
 * succeeds (the partition waits rather than skipping), because an acknowledged action must be counted.
 */
@ApplicationScoped
public class ActionConsumer {
    private static final Logger LOG = Logger.getLogger(ActionConsumer.class);

    @Inject
    TallyWriter writer;

    @Incoming("actions")
    @Blocking
    public void consume(List<String> payloads) throws InterruptedException {
        List<ActionEvent> events = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            try {
                events.add(Events.fromJson(payload, ActionEvent.class));
            } catch (RuntimeException e) {
                // not ours to count, and retrying cannot fix it: log it so it can be looked into
                LOG.errorf("skipping an unreadable action event: %s", payload);
            }
        }
        long backoffMs = 100;
        while (true) {
            try {
                writer.apply(events);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot apply a batch of %d events (%s); retrying in %d ms", events.size(), e.getMessage(), backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }
}
