package org.w4r.delivery;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import java.time.Duration;

/**
 * Awaitility with a bound that fits a loaded two-core machine running other builds: the bound only decides how long a
 * failing test takes to say so, never whether a passing one passes.
 */
final class Waiting {
    private Waiting() {
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
    }
}
