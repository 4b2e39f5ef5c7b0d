package org.w4r.kit.reference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until campaigns, cases, entities and credentials have been read up to where they stood at start. */
@Readiness
@ApplicationScoped
public class ReferenceDataHealth implements HealthCheck {
    @Inject
    ReferenceStream stream;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("reference-data").status(stream.isCaughtUp()).build();
    }
}
