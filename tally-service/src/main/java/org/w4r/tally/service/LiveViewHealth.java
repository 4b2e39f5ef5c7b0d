package org.w4r.tally.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the live view is pushed at commit ({@code listening}) or, while its listen connection is re-opened, only
 * refreshed by the safety poll. Stays UP either way: the stream and the counters still serve, seconds staler, and
 * taking the instance out of the load balancer would not bring the connection back (alert on the data or on the
 * {@code w4r_tally_live_listening} gauge).
 */
@Readiness
@ApplicationScoped
public class LiveViewHealth implements HealthCheck {
    @Inject
    LiveTotalsService live;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("live-view").up()
                .withData("listening", live.listening())
                .withData("reconnects", live.reconnects())
                .build();
    }
}
