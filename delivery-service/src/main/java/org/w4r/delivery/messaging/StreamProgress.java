package org.w4r.delivery.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.kit.messaging.KafkaSettings;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How far this service has applied the 'actions' and 'moderation' topics to its database. A handover waits until
 * everything on those topics when it was requested has been applied, so the counts it freezes include every action
 * Kafka had by then: the frozen numbers equal the tally at the cut-off, not a lagging copy of it.
 */
@ApplicationScoped
public class StreamProgress {
    private static final Logger LOG = Logger.getLogger(StreamProgress.class);

    @Inject
    KafkaSettings kafka;

    @ConfigProperty(name = "mp.messaging.incoming.actions.group.id", defaultValue = "delivery-service")
    String group;

    /** Next offset to apply per partition, as committed to the database by this instance. */
    private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
    private volatile Admin admin;

    static List<String> values(ConsumerRecords<String, String> records) {
        List<String> values = new java.util.ArrayList<>(records.count());
        records.forEach(r -> values.add(r.value()));
        return values;
    }

    void applied(ConsumerRecords<String, String> records) {
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> list = records.records(partition);
            long next = list.get(list.size() - 1).offset() + 1;
            applied.merge(partition, next, Math::max);
        }
    }

    /** True once every record on {@code topics} at the time of the call is applied (here or, committed, by another instance). */
    public boolean awaitApplied(Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription topic : admin().describeTopics(topics).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()) {
                topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin().listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> committed = committed(timeout);
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
                    committed = committed(timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("cannot check how far the count topics are applied: %s", e.getMessage());
            return false;
        }
    }

    private boolean caughtUp(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends,
                             Map<TopicPartition, Long> committed) {
        return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                || Math.max(applied.getOrDefault(e.getKey(), 0L), committed.getOrDefault(e.getKey(), 0L))
                >= e.getValue().offset());
    }

    private Map<TopicPartition, Long> committed(Duration timeout) throws Exception {
        Map<TopicPartition, Long> result = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                result.put(partition, offset.offset());
            }
        });
        return result;
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(kafka.base("delivery-service-progress"));
                }
            }
        }
        return admin;
    }

    void stop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
