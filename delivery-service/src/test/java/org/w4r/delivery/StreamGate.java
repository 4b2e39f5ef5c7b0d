package org.w4r.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.w4r.events.CaseChanged;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-only: holds the service's case-stream reader on a chosen case's change until released, so the records behind
 * it (a hold) are not applied yet. That is how a lagging read model looks to the service.
 */
@ApplicationScoped
public class StreamGate {
    static final ConcurrentHashMap<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    static final ConcurrentHashMap<String, CountDownLatch> REACHED = new ConcurrentHashMap<>();

    static void close(String caseId) {
        GATES.put(caseId, new CountDownLatch(1));
        REACHED.put(caseId, new CountDownLatch(1));
    }

    static boolean awaitReached(String caseId) throws InterruptedException {
        return REACHED.get(caseId).await(30, TimeUnit.SECONDS);
    }

    static void open(String caseId) {
        CountDownLatch gate = GATES.remove(caseId);
        if (gate != null) {
            gate.countDown();
        }
    }

    void onCaseChanged(@Observes CaseChanged change) throws InterruptedException {
        CountDownLatch gate = GATES.get(change.caseId());
        if (gate != null) {
            REACHED.get(change.caseId()).countDown();
            gate.await(30, TimeUnit.SECONDS);
        }
    }
}
