package org.w4r.delivery.messaging;

import org.jboss.logging.Logger;

import java.util.function.IntSupplier;

/** Retries a batch's transaction until it succeeds: the partition waits rather than skipping events. */
final class BatchRetry {
    private static final Logger LOG = Logger.getLogger(BatchRetry.class);

    private BatchRetry() {
    }

    static void untilApplied(String what, int size, IntSupplier apply) throws InterruptedException {
        long backoffMs = 100;
        while (true) {
            try {
                apply.getAsInt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot apply a batch of %d %s (%s); retrying in %d ms", size, what, e.getMessage(), backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }
}
