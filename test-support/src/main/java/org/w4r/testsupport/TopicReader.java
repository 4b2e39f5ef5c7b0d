package org.w4r.testsupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what is on a topic right now, as a test would look at the stream: all of it, or what was published since
 * the end offsets the test noted before it acted.
 */
public final class TopicReader {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private TopicReader() {
    }

    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return readToEnd(consumer, topic, partitions);
        }
    }

    /** The end offsets of every partition of {@code topics} now, to read later what was published after them. */
    public static Map<TopicPartition, Long> endOffsets(String bootstrapServers, List<String> topics) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
            Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            for (String topic : topics) {
                offsets.putAll(consumer.endOffsets(partitions(consumer, topic)));
            }
            return offsets;
        }
    }

    /** Every record on {@code topic} after the offsets {@link #endOffsets} noted, up to the end now. */
    public static List<ConsumerRecord<String, String>> readSince(String bootstrapServers,
                                                                 Map<TopicPartition, Long> offsets, String topic) {
        List<TopicPartition> partitions = offsets.keySet().stream().filter(p -> p.topic().equals(topic)).toList();
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("no offsets noted for " + topic);
        }
        try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
            consumer.assign(partitions);
            partitions.forEach(p -> consumer.seek(p, offsets.get(p)));
            return readToEnd(consumer, topic, partitions);
        }
    }

    private static List<ConsumerRecord<String, String>> readToEnd(KafkaConsumer<String, String> consumer, String topic,
                                                                  List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end in " + BOUND.toSeconds() + " s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /**
     * The broker answers a fetch at once when it has records, else after {@code fetch.max.wait.ms}: 500 ms by default,
     * which one read that ends on an empty partition paid (540 ms a read of a six-partition topic, against 50 ms with
     * 10 ms). A test that checks "nothing published" after each of 26 refusals spent most of its 40 s there.
     */
    private static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "enable.auto.commit", "false",
                "fetch.max.wait.ms", "10"),
                new StringDeserializer(), new StringDeserializer());
    }
}
