package org.w4r.tally.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.w4r.kit.reference.ReferenceData;
import org.w4r.tally.repository.TallyRepository;

import java.time.Duration;
import java.util.Optional;

/**
 * A second live view beside the application's, as another tally instance on the same database has: its own listen
 * connection and snapshot. Only the reads go through the application's repository (a pool, no state).
 */
public final class OtherInstanceLiveTotals {
    private OtherInstanceLiveTotals() {
    }

    public static LiveTotals start(TallyRepository tally, ReferenceData reference, String jdbcUrl, String username,
                                   Optional<String> password, Duration safetyPoll) {
        LiveTotals other = new LiveTotals();
        other.tally = tally;
        other.reference = reference;
        other.registry = new SimpleMeterRegistry();
        other.jdbcUrl = jdbcUrl;
        other.username = username;
        other.password = password;
        other.safetyPoll = safetyPoll;
        other.start(null);
        return other;
    }

    public static void stop(LiveTotals other) {
        other.stop(null);
    }
}
