package org.w4r.tally.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.arc.ClientProxy;

import java.time.Duration;

/**
 * A second live view beside the application's, as another tally instance on the same database has: its own listen
 * connection and snapshot. Only the reads go through the application's repository (a pool, no state).
 */
public final class OtherInstanceLiveTotals {
    private OtherInstanceLiveTotals() {
    }

    /** Started with the application's database settings ({@code application}'s) and its own safety poll. */
    public static LiveTotalsService start(LiveTotalsService application, Duration safetyPoll) {
        LiveTotalsService same = ClientProxy.unwrap(application);
        LiveTotalsService other = new LiveTotalsService();
        other.tally = same.tally;
        other.reference = same.reference;
        other.registry = new SimpleMeterRegistry();
        other.connections = same.connections;
        other.safetyPoll = safetyPoll;
        other.start(null);
        return other;
    }

    public static void stop(LiveTotalsService other) {
        other.stop(null);
    }
}
