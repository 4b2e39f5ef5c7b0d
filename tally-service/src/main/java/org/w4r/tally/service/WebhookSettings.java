package org.w4r.tally.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code w4r.webhooks.*}: the limits and timings of entity webhooks (docs/tally-service.md, "Webhooks"). */
@ConfigMapping(prefix = "w4r.webhooks")
public interface WebhookSettings {
    /** How long one attempt may take, whole: the name's lookup, connecting, the answer's headers and its body. */
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

    /**
     * At most this many of one entity's deliveries in a claim, so one entity's slow receivers cannot fill every claim
     * while other entities' wait; the rest of its due deliveries go in the next claims.
     */
    @WithDefault("10")
    int batchPerEntity();

    @WithDefault("10")
    int maxPerEntity();

    /**
     * Attempts in flight at once in this instance, and at most {@link #batchPerEntity()} of them one entity's: the
     * dispatcher claims more as attempts end, never waiting for a claim's slowest.
     */
    @WithDefault("200")
    int maxInFlight();

    /** The newest deliveries a listing shows. */
    @WithDefault("100")
    int deliveriesListed();

    /**
     * How long a registration waits for the receiver's host to resolve; past it the registration is refused (400) and
     * the lookup goes on without it. Short: the registration holds an HTTP worker thread while it waits.
     */
    @WithDefault("PT2S")
    Duration lookupTimeout();

    /**
     * Registrations of this instance waiting for a lookup at once; the next is refused (503, Retry-After) rather than
     * held, so hosts whose nameservers never answer can hold at most this many HTTP worker threads. The dispatcher
     * looks names up on threads of its own, at most {@link #maxInFlight()}.
     */
    @WithDefault("8")
    int registrationLookups();

    /** http receivers, for a local receiver in development and tests only; https otherwise. */
    @WithDefault("false")
    boolean allowHttp();

    /** Receivers on loopback, private or link-local addresses; never in production (SSRF). */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** The period of {@code totals.entity}; also the schedule of {@link WebhookSchedule}. */
    @WithDefault("PT1H")
    Duration totalsEvery();

    /**
     * How long a delivered or dead delivery is kept ({@link WebhookSchedule#prune}): listed to its entity and, dead, replayable
     * until then. A deleted webhook's row goes with its last delivery.
     */
    @WithDefault("P30D")
    Duration keepFor();
}
