package org.w4r.kit.metrics;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.outbox.OutboxRelay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The outbox as three gauges: rows waiting for Kafka, the age of the oldest (a backlog that only grows means Kafka
 * is away or the relay is stuck: alert on the age, not the size, since a burst is normal) and rows Kafka refused for
 * good. Read from the database at most once a second, whatever the number of scrapers.
 */
@ApplicationScoped
public class OutboxMetrics {
    private static final Logger LOG = Logger.getLogger(OutboxMetrics.class);
    private static final long REFRESH_NANOS = 1_000_000_000L;

    @Inject
    Instance<OutboxRelay> relay;

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    MeterRegistry registry;

    private record Snapshot(long takenAt, double rows, double oldestAgeSeconds, double deadLetters) {
    }

    private volatile Snapshot snapshot = new Snapshot(0, Double.NaN, Double.NaN, Double.NaN);

    void register(@Observes StartupEvent event) {
        if (!relay.isResolvable() || !relay.get().enabled()) {
            return;
        }
        Gauge.builder("w4r.outbox.backlog", this, m -> m.current().rows())
                .description("events stored but not yet acknowledged by Kafka").register(registry);
        Gauge.builder("w4r.outbox.oldest.age", this, m -> m.current().oldestAgeSeconds())
                .baseUnit("seconds").description("how long the oldest unsent event has waited (0 when none)")
                .register(registry);
        Gauge.builder("w4r.outbox.dead.letters", this, m -> m.current().deadLetters())
                .description("events Kafka refused for good, kept in outbox_dead_letter").register(registry);
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (System.nanoTime() - s.takenAt() < REFRESH_NANOS && s.takenAt() != 0) {
            return s;
        }
        synchronized (this) {
            if (System.nanoTime() - snapshot.takenAt() >= REFRESH_NANOS || snapshot.takenAt() == 0) {
                snapshot = read();
            }
            return snapshot;
        }
    }

    private Snapshot read() {
        try (Connection connection = dataSource.get().getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     select (select count(*) from outbox_backlog),
                            coalesce(extract(epoch from now() - (select min(created_at) from outbox_backlog)), 0),
                            (select count(*) from outbox_dead_letter)""");
             ResultSet rs = query.executeQuery()) {
            rs.next();
            return new Snapshot(System.nanoTime(), rs.getLong(1), rs.getDouble(2), rs.getLong(3));
        } catch (SQLException | RuntimeException e) {
            // NaN, not a stale or zero figure: "unknown" must not look like "empty" on a dashboard
            LOG.debugf("outbox metrics: %s", Failures.describe(e));
            return new Snapshot(System.nanoTime(), Double.NaN, Double.NaN, Double.NaN);
        }
    }
}
