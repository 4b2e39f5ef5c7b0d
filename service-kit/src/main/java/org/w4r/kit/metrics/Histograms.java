package org.w4r.kit.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * HTTP latency and our own timers as Prometheus histograms (buckets), not client-side percentiles: p99 across two
 * instances of a service can only be computed from buckets (a percentile of each instance cannot be averaged).
 */
public class Histograms {
    private static final double MIN = Duration.ofMillis(1).toNanos();
    private static final double MAX = Duration.ofSeconds(60).toNanos();
    /**
     * Exact bucket bounds the alerts compare against (deploy/monitoring/alerts.yml): 50 ms (an action's p99 target),
     * 250 ms, 1 s (the tally's freshness target, p99), 5 s (a hold must reach every service within it), 30 s.
     */
    private static final double[] OBJECTIVES = {
            Duration.ofMillis(50).toNanos(), Duration.ofMillis(250).toNanos(), Duration.ofSeconds(1).toNanos(),
            Duration.ofSeconds(5).toNanos(), Duration.ofSeconds(30).toNanos()};

    @Produces
    @Singleton
    MeterFilter timersAsHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER
                        || !(id.getName().startsWith("http.server") || id.getName().startsWith("w4r."))) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .serviceLevelObjectives(OBJECTIVES)
                        .minimumExpectedValue(MIN)
                        .maximumExpectedValue(MAX)
                        .build()
                        .merge(config);
            }
        };
    }
}
