package org.w4r.cases.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Tombstones every credential past its expiry on the compacted {@code credentials} topic, as a revocation does. Every
 * service already refuses an expired key or token (the token directory checks {@code expiresAt}), but nothing removed
 * it from the topic: its hash and principal stayed there for good, and the docs said an expiry is a tombstone (a
 * read-only review, 6 December 2026).
 *
 * <p>Every instance runs it: each credential is marked with its tombstone's outbox row in the transaction that writes
 * it, and rows another instance holds are skipped, so a credential is announced expired once (twice would be harmless).
 * {@code w4r.credentials.expiry-sweep} sets how often ({@code off}: never; the test profile's, see
 * {@code CredentialExpiryTest}).
 */
@ApplicationScoped
public class CredentialExpiry {
    private static final Logger LOG = Logger.getLogger(CredentialExpiry.class);
    /** Per transaction: a first run after a long pause has many, and each is a row lock and an outbox row. */
    static final int BATCH = 500;

    @Inject
    CredentialService credentials;

    @Scheduled(identity = "credential-expiry", every = "${w4r.credentials.expiry-sweep:5m}", delayed = "${w4r.credentials.expiry-sweep.delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int total = 0;
            int done;
            do {
                done = credentials.tombstoneExpired(BATCH);
                total += done;
            } while (done == BATCH);
            if (total > 0) {
                LOG.infof("credentials: %d expired, announced by a tombstone each", total);
            }
        } catch (RuntimeException e) {
            // the database away, or the outbox refused: nothing is marked, the next run tries again
            LOG.warnf("credentials: the expired ones could not be announced now (%s); trying again at the next run",
                    e.getClass().getSimpleName());
        }
    }
}
