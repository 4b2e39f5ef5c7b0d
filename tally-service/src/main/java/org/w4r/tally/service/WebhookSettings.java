package org.w4r.tally.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code w4r.webhooks.*}: the limits and timings of entity webhooks (docs/tally-service.md, "Webhooks"). */
@ConfigMapping(prefix = "w4r.webhooks")
public interface WebhookSettings {
    /** Connect and answer timeout of one POST to a receiver. */
    @WithDefault("PT5S")
    Duration timeout();

    /** The first retry's wait; it doubles up to {@link #backoffMax()}. */
    @WithDefault("PT10S")
    Duration backoffInitial();

    @WithDefault("PT1H")
    Duration backoffMax();

    /** Attempts before a delivery is given up (it stays listed, and can be replayed). */
    @WithDefault("10")
    int maxAttempts();

    /** How often the dispatcher looks for retries come due when nothing woke it. */
    @WithDefault("PT1S")
    Duration poll();

    /** Deliveries claimed at once. */
    @WithDefault("50")
    int batchSize();

    @WithDefault("10")
    int maxPerEntity();

    /** The newest deliveries a listing shows. */
    @WithDefault("100")
    int deliveriesListed();

    /** http receivers, for a local receiver in development and tests only; https otherwise. */
    @WithDefault("false")
    boolean allowHttp();

    /** Receivers on loopback, private or link-local addresses; never in production (SSRF). */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** The period of {@code totals.entity}; also the schedule of {@link WebhookTotals}. */
    @WithDefault("PT1H")
    Duration totalsEvery();
}
