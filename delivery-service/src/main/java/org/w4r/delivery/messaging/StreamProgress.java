package org.w4r.delivery.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.kit.messaging.TopicOffsets;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * How far this service has applied the 'actions' and 'moderation' topics to its database. A handover waits until
 * everything on those topics when it was requested has been applied, so the counts it freezes include every action
 * Kafka had by then: the frozen numbers equal the tally at the cut-off, not a lagging copy of it.
 */
@ApplicationScoped
public class StreamProgress {
    private static final Logger LOG = Logger.getLogger(StreamProgress.class);

    @Inject
    TopicOffsets offsets;

    @Inject
    BatchConsumer consumer;

    @ConfigProperty(name = "mp.messaging.incoming.actions.group.id", defaultValue = "delivery-service")
    String group;

    /** True once every record on {@code topics} at the time of the call is applied (here or, committed, by another instance). */
    public boolean awaitApplied(Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Map<TopicPartition, Long> ends = offsets.ends(topics, timeout);
            Map<TopicPartition, Long> committed = offsets.committed(group, timeout);
            for (int round = 1; ; round++) {
                if (caughtUp(ends, committed)) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(10);
                if (round % 50 == 0) {
                    // another instance's progress shows only in its committed offsets
                    committed = offsets.committed(group, timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("cannot check how far the count topics are applied: %s", Failures.describe(e));
            return false;
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                || Math.max(consumer.appliedUpTo(e.getKey()), committed.getOrDefault(e.getKey(), 0L)) >= e.getValue());
    }
}
