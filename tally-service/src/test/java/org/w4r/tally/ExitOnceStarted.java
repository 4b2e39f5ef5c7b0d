package org.w4r.tally;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where a test profile sets {@code w4r.test.exit-once-started}, a start that succeeds ends at once with exit code 0:
 * a {@code @QuarkusMainTest} of a start that must fail ({@link StreamTicketKeyTest}) then fails when it starts,
 * instead of waiting for ever on an application that runs until it is stopped.
 */
@ApplicationScoped
public class ExitOnceStarted {
    @ConfigProperty(name = "w4r.test.exit-once-started", defaultValue = "false")
    boolean exit;

    void started(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        if (exit) {
            Quarkus.asyncExit(0);
        }
    }
}
