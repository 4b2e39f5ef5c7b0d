package org.w4r.kit.messaging;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.KafkaBroker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** End offsets and a group's committed offsets, read from the real broker. */
class TopicOffsetsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static KafkaClients clients;
    private static TopicOffsets offsets;

    @BeforeAll
    static void clients() {
        clients = KitFixtures.clients(KafkaBroker.bootstrapServers(), "kit-offsets-test");
        offsets = KitFixtures.offsets(clients);
    }

    @AfterAll
    static void close() {
        KitFixtures.close(clients);
    }

    @Test
    void theEndOfEveryPartitionIsTheNextOffsetToBeWritten() throws Exception {
        String topic = KafkaClientsTest.topic(clients, 2);
        TopicPartition first = new TopicPartition(topic, 0), second = new TopicPartition(topic, 1);
        assertEquals(Map.of(first, 0L, second, 0L), offsets.ends(List.of(topic), TIMEOUT));
        for (int i = 0; i < 3; i++) {
            clients.producer().send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
        }
        clients.producer().send(new ProducerRecord<>(topic, 1, "k", "w")).get();
        assertEquals(Map.of(first, 3L, second, 1L), offsets.ends(List.of(topic), TIMEOUT));
        assertEquals(Map.of(second, 1L), offsets.endsOf(List.of(second), TIMEOUT));
    }

    @Test
    void aGroupsCommittedOffsetsAreWhereItWillReadNext() throws Exception {
        String topic = KafkaClientsTest.topic(clients, 2);
        String group = "kit-offsets-" + UUID.randomUUID();
        assertEquals(Map.of(), offsets.committed(group, TIMEOUT), "a group that never committed");
        TopicPartition first = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> member = new KafkaConsumer<>(Map.of("bootstrap.servers",
                KafkaBroker.bootstrapServers(), "group.id", group, "enable.auto.commit", "false"),
                new StringDeserializer(), new StringDeserializer())) {
            member.assign(List.of(first));
            member.commitSync(Map.of(first, new OffsetAndMetadata(7)));
        }
        assertEquals(Map.of(first, 7L), offsets.committed(group, TIMEOUT));
    }
}
