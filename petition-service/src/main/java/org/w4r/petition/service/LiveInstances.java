package org.w4r.petition.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.petition.repository.InstanceRepository;

import java.sql.SQLException;
import java.util.UUID;

/**
 * How many instances of the service run now, so each enforces its share of the rate limits. Each instance beats
 * every {@code w4r.limits.heartbeat} (a row in its database, off the request path); the count follows the autoscaler
 * within three beats. When the database does not answer, the last count stands.
 */
@ApplicationScoped
public class LiveInstances {
    private static final Logger LOG = Logger.getLogger(LiveInstances.class);

    private final UUID self = UUID.randomUUID();
    private volatile int count = 1;

    @Inject
    InstanceRepository instances;

    @Inject
    LimitSettings settings;

    void start(@Observes StartupEvent event) {
        beat();
    }

    @Scheduled(every = "${w4r.limits.heartbeat:10s}", delayed = "${w4r.limits.heartbeat:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void beat() {
        try {
            count = Math.max(1, instances.beat(self, settings.heartbeat().multipliedBy(3)));
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("rate limits: instance heartbeat failed, keeping %d instances: %s", count, Failures.describe(e));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            instances.leave(self);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("rate limits: could not leave: %s", Failures.describe(e)); // its row goes stale instead
        }
    }

    /** The instances sharing the limits, this one included. */
    public int count() {
        return count;
    }
}
