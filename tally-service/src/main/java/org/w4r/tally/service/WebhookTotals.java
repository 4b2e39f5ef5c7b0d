package org.w4r.tally.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;

/**
 * Every {@code w4r.webhooks.totals-every} (an hour), queues each {@code totals.entity} webhook its entity's totals.
 * Every instance ticks; the event id is the webhook's and the period's, so a period is delivered once.
 */
@ApplicationScoped
public class WebhookTotals {
    private static final Logger LOG = Logger.getLogger(WebhookTotals.class);

    @Inject
    WebhookService webhooks;

    @Inject
    WebhookSettings settings;

    @Scheduled(every = "${w4r.webhooks.totals-every:PT1H}", delayed = "${w4r.webhooks.totals-every:PT1H}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            webhooks.queueTotals(settings.totalsEvery());
        } catch (RuntimeException e) {
            // the next period sends the totals of then; these are not worth a retry
            LOG.warnf("webhooks: cannot queue the entities' totals (%s)", Failures.describe(e));
        }
    }
}
