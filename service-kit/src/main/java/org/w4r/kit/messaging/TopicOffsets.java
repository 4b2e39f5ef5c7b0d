package org.w4r.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where topics end and how far a consumer group has committed, through the service's one admin client: what a barrier
 * compares ("has everything on the topic when I asked been applied?"), and what the recount checks the live
 * consumers against.
 */
@ApplicationScoped
public class TopicOffsets {
    @Inject
    KafkaClients clients;

    /** The end offset (the next offset to be written) of every partition of {@code topics}. */
    public Map<TopicPartition, Long> ends(Collection<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<TopicPartition> partitions = new HashSet<>();
        for (TopicDescription topic : clients.admin().describeTopics(topics).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        return endsOf(partitions, timeout);
    }

    /** The end offset of each of {@code partitions}. */
    public Map<TopicPartition, Long> endsOf(Collection<TopicPartition> partitions, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> ends = clients.admin().listOffsets(latest).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> result = new HashMap<>();
        ends.forEach((partition, info) -> result.put(partition, info.offset()));
        return result;
    }

    /** The offsets {@code group} has committed (the next offset it will read), per partition it has committed on. */
    public Map<TopicPartition, Long> committed(String group, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = clients.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> result = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                result.put(partition, offset.offset());
            }
        });
        return result;
    }
}
