package org.w4r.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionScoped;

/**
 * Runs a test's action once, the moment the next transaction of the service ends (JTA fires it on the committing
 * thread, before the commit returns): what the request does after its commit then meets that action, an outage.
 */
@ApplicationScoped
public class AfterCommit {
    private static volatile Runnable next;

    static void once(Runnable action) {
        next = action;
    }

    static void cancel() {
        next = null;
    }

    void ended(@Observes @Destroyed(TransactionScoped.class) Object transaction) {
        Runnable action = next;
        if (action != null) {
            next = null;
            action.run();
        }
    }
}
