package org.w4r.tally.rest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code w4r.tally.counter.*}: how long browsers and CDNs may keep the public counter and its script (seconds). */
@ConfigMapping(prefix = "w4r.tally.counter")
public interface CounterSettings {
    @WithDefault("5")
    int maxAge();

    /** How long a cache may serve the counter stale while it revalidates it. */
    @WithDefault("30")
    int staleWhileRevalidate();

    /** The embeddable script's; a new release is a new ETag at once, whatever this says. */
    @WithDefault("300")
    int scriptMaxAge();
}
