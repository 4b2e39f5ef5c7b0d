package org.w4r.tally.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code w4r.webhooks.totals-every} (an hour), queues each {@code totals.entity} webhook its entity's totals.
 * Every instance ticks; the event id is the webhook's and the period's, so a period is delivered once.
 */
@ApplicationScoped
public class WebhookTotals {
    private static final Logger LOG = Logger.getLogger(WebhookTotals.class);

    @Inject
    WebhookService webhooks;

    @ConfigProperty(name = "w4r.webhooks.totals-every", defaultValue = "PT1H")
    Duration every;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent started) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-totals");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void tick() {
        try {
            webhooks.queueTotals(every);
        } catch (RuntimeException e) {
            // the next period sends the totals of then; these are not worth a retry
            LOG.warnf("webhooks: cannot queue the entities' totals (%s)", Failures.describe(e));
        }
    }
}
