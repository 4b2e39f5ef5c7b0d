package org.w4r.kit.demo;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Loads the service's share of the demo at start, when {@code w4r.demo.enabled}. Before the service's own start-up
 * work (a library priority), so whatever a service announces at start (case-service's snapshot of its reference
 * data) already holds the demo.
 */
@ApplicationScoped
public class DemoStart {
    @ConfigProperty(name = "w4r.demo.enabled", defaultValue = "false")
    boolean enabled;

    @Inject
    Instance<DemoShare> shares;

    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event) {
        if (enabled) {
            shares.forEach(DemoShare::loadDemo);
        }
    }
}
