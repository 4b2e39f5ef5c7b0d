package org.w4r.tally.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.tally.repository.WebhookRepository;

/**
 * The webhooks' two jobs on a clock, each run by every instance: the entities' totals, queued once a period (the event
 * id is the webhook's and the period's, so a period is delivered once), and the prune of what was done long ago (a
 * delete twice is a delete once).
 */
@ApplicationScoped
public class WebhookSchedule {
    private static final Logger LOG = Logger.getLogger(WebhookSchedule.class);

    @Inject
    WebhookService webhooks;

    @Inject
    WebhookRepository deliveries;

    @Inject
    WebhookSettings settings;

    /** Every {@code w4r.webhooks.totals-every} (an hour): each {@code totals.entity} webhook its entity's totals. */
    @Scheduled(every = "${w4r.webhooks.totals-every:PT1H}", delayed = "${w4r.webhooks.totals-every:PT1H}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void totals() {
        try {
            webhooks.queueTotals(settings.totalsEvery());
        } catch (RuntimeException e) {
            // the next period sends the totals of then; these are not worth a retry
            LOG.warnf("webhooks: cannot queue the entities' totals (%s)", Failures.describe(e));
        }
    }

    /**
     * Every 6 hours: deletes what was delivered or given up more than {@code w4r.webhooks.keep-for} ago (30 days).
     * Nothing was ever deleted until a read-only review of 8 December 2026: hourly totals alone, ten webhooks for each
     * of 70 entities, are six million rows a year, each a body of counts, and a deleted webhook's secret stayed in the
     * database and its backups.
     */
    @Scheduled(every = "${w4r.webhooks.prune-every:PT6H}", delayed = "PT10M",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneOnSchedule() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warnf("webhooks: cannot prune old deliveries (%s); the next run tries again", Failures.describe(e));
        }
    }

    public int prune() {
        int deleted = deliveries.prune(settings.keepFor());
        if (deleted > 0) {
            LOG.infof("webhooks: %d deliveries older than %s deleted", deleted, settings.keepFor());
        }
        return deleted;
    }
}
