package org.w4r.tally.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.tally.repository.WebhookRepository;

/**
 * Deletes what was delivered or given up more than {@code w4r.webhooks.keep-for} ago (30 days). Nothing was ever
 * deleted until a read-only review of 8 December 2026: hourly totals alone, ten webhooks for each of 70 entities, are
 * six million rows a year, each a body of counts, and a deleted webhook's secret stayed in the database and its
 * backups. Every instance runs it; a delete twice is a delete once.
 */
@ApplicationScoped
public class WebhookPrune {
    private static final Logger LOG = Logger.getLogger(WebhookPrune.class);

    @Inject
    WebhookRepository webhooks;

    @Inject
    WebhookSettings settings;

    @Scheduled(every = "${w4r.webhooks.prune-every:PT6H}", delayed = "PT10M",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warnf("webhooks: cannot prune old deliveries (%s); the next run tries again", Failures.describe(e));
        }
    }

    public int prune() {
        int deleted = webhooks.prune(settings.keepFor());
        if (deleted > 0) {
            LOG.infof("webhooks: %d deliveries older than %s deleted", deleted, settings.keepFor());
        }
        return deleted;
    }
}
