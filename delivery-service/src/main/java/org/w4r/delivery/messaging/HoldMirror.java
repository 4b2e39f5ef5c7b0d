package org.w4r.delivery.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.delivery.repository.HoldRepository;
import org.w4r.events.CaseChanged;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.messaging.Retry;

/**
 * Copies every case's hold from the reference-data stream into {@code case_hold}, on the reader's thread, before the
 * reader counts the record as applied: so once {@code ReferenceData.awaitUpToDate} returns true, the hold is committed
 * here too, and the row lock orders it against handover transactions.
 */
@ApplicationScoped
public class HoldMirror {
    private static final Logger LOG = Logger.getLogger(HoldMirror.class);

    /**
     * Five tries whatever the failure, outages included: the reader's thread must not wait on this database, since
     * every later hold and revoked key of the stream waits behind it.
     */
    private static final Retry RETRY = new Retry(5, false, 1000);

    @Inject
    HoldRepository holds;

    @Inject
    MeterRegistry registry;

    void onCaseChanged(@Observes CaseChanged change) {
        Exception failure;
        try {
            failure = RETRY.run(() -> QuarkusTransaction.requiringNew().run(() -> holds.save(change)),
                    (e, passing, waitMs) -> { });
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        }
        // never throw into the reader (it would skip the rest of its poll); the in-memory model still
        // refuses held cases, this copy only adds the ordering guarantee
        if (failure != null) {
            // the guard still refuses the case (fail closed), but a lift never stored keeps it shut: the
            // counter feeds an alert (W4RHoldMirrorFailed) so a person stores it, not only a log line
            registry.counter("w4r.hold.mirror.failures").increment();
            LOG.errorf("cannot store the hold state of %s: %s", change.caseId(), Failures.describe(failure));
        }
    }
}
