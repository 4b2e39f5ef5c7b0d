package org.w4r.delivery.messaging;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.messaging.BatchConsumer;
import org.w4r.kit.messaging.TopicOffsets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How far this service has applied the 'actions' and 'moderation' topics to its database. A handover waits until
 * everything on those topics when it was requested has been applied, so the counts it freezes include every action
 * Kafka had by then: the frozen numbers equal the tally at the cut-off, not a lagging copy of it.
 *
 * <p>A partition counts as applied up to the highest of three next offsets, each passed only once the records before
 * it are applied or set aside:
 * <ul>
 * <li>{@code consumer_progress}, which service-kit's ConsumedBatches writes in the transaction of each batch's effect
 * ({@code consumeOnce}: 'actions', and 'erasures', which no barrier waits on), in the database every instance shares:
 * the partitions another instance reads included, as soon as its transaction commits. Until a review of 6 Dec 2026
 * those were judged by the group's committed offsets alone, which the throttled strategy commits up to its interval
 * (5 s) later: the barrier's own length, so with two instances a large share of handovers were 503 counts-behind
 * with everything applied;</li>
 * <li>the group's offsets committed to Kafka: the only measure for 'moderation', whose consumer ({@code consume},
 * idempotent by itself) stores no progress, and the one that passes a record set aside on the dead letter, which
 * ConsumedBatches never records (the batch's unreadable records are not handed to it, a refused one rolls back): last
 * on a partition read elsewhere, it holds handovers until that instance's next commit, not for good;</li>
 * <li>what this instance applied ({@link BatchConsumer#appliedUpTo}), set aside records included, at once.</li>
 * </ul>
 */
@ApplicationScoped
public class StreamProgress {
    private static final Logger LOG = Logger.getLogger(StreamProgress.class);

    @Inject
    TopicOffsets offsets;

    @Inject
    BatchConsumer consumer;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "mp.messaging.incoming.actions.group.id", defaultValue = "delivery-service")
    String group;

    /** True once every record on {@code topics} at the time of the call is applied (here or by another instance). */
    public boolean awaitApplied(Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Map<TopicPartition, Long> ends = offsets.ends(topics, timeout);
            Map<TopicPartition, Long> stored = stored(topics, Map.of());
            Map<TopicPartition, Long> committed = offsets.committed(group, timeout);
            for (int round = 1; ; round++) {
                if (caughtUp(ends, stored, committed)) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(10);
                if (round % 10 == 0) {
                    stored = stored(topics, stored);
                }
                if (round % 50 == 0) {
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

    private boolean caughtUp(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> stored,
                             Map<TopicPartition, Long> committed) {
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || Math.max(consumer.appliedUpTo(e.getKey()),
                Math.max(stored.getOrDefault(e.getKey(), 0L), committed.getOrDefault(e.getKey(), 0L))) >= e.getValue());
    }

    /**
     * The next offset to apply per partition of {@code topics} as stored with the effects ({@code consumer_progress}),
     * or {@code known} if the database cannot say: then the handover's own transaction meets the same database and
     * answers for it (503 database-unavailable), which a counts-behind here would hide.
     */
    private Map<TopicPartition, Long> stored(Collection<String> topics, Map<TopicPartition, Long> known) {
        Map<TopicPartition, Long> next = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select topic, kafka_partition, next_offset from consumer_progress where topic = any (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", topics.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    next.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
            return next;
        } catch (SQLException e) {
            LOG.debugf("cannot read consumer_progress (SQLSTATE %s); judging by the offsets alone", e.getSQLState());
            return known;
        }
    }
}
