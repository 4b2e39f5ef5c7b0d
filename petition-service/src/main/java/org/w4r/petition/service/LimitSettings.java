package org.w4r.petition.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rate limits of entity websites ({@code w4r.limits.*}, docs/security.md "Rate limits"): each a token bucket of
 * {@code rate} tokens a {@code period}, holding at most {@code burst}; one per entity and one per signer email domain
 * within an entity. The figures are the platform's, whatever the number of instances ({@link RateLimits} shares them).
 * An entity's own figures ({@code w4r.limits.entity."<entity-id>".*}) replace the defaults one by one.
 */
@ConfigMapping(prefix = "w4r.limits")
public interface LimitSettings {
    @WithName("default")
    Limits defaults();

    Map<String, Override> entity();

    /** How often an instance says it is alive, so each knows how many share the limits. */
    @WithDefault("10s")
    Duration heartbeat();

    interface Limits {
        Duration period();

        long rate();

        long burst();

        long emailDomainRate();

        long emailDomainBurst();
    }

    interface Override {
        Optional<Duration> period();

        OptionalLong rate();

        OptionalLong burst();

        OptionalLong emailDomainRate();

        OptionalLong emailDomainBurst();
    }

    /** A bucket's figures for the whole platform. */
    record Limit(long rate, Duration period, long burst) {
        /** As a caller reads it, e.g. "100 per PT1S, bursts of 2000". */
        String describe() {
            return rate + " per " + period.toString().substring(2).toLowerCase() + ", bursts of " + burst;
        }
    }

    /** The entity's limit: its own figures where it has them, the defaults otherwise. */
    default Limit entityLimit(String entityId) {
        Optional<Override> own = Optional.ofNullable(entity().get(entityId));
        return new Limit(own.flatMap(o -> boxed(o.rate())).orElse(defaults().rate()), period(own),
                own.flatMap(o -> boxed(o.burst())).orElse(defaults().burst()));
    }

    /** The limit of each signer email domain within the entity. */
    default Limit emailDomainLimit(String entityId) {
        Optional<Override> own = Optional.ofNullable(entity().get(entityId));
        return new Limit(own.flatMap(o -> boxed(o.emailDomainRate())).orElse(defaults().emailDomainRate()), period(own),
                own.flatMap(o -> boxed(o.emailDomainBurst())).orElse(defaults().emailDomainBurst()));
    }

    private Duration period(Optional<Override> own) {
        return own.flatMap(Override::period).orElse(defaults().period());
    }

    private static Optional<Long> boxed(OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }
}
