package org.w4r.cases.messaging;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.KafkaClients;
import org.w4r.kit.messaging.TopicAdmin;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start that cannot read the {@code cases} topic to its end fails, before the snapshot and before any request: going
 * on as if the database were current would let the next change of a case undo a hold placed after a restored backup
 * (a read-only review, 6 December 2026). Here the broker is a port nobody listens on.
 */
class UnreadableCasesTopicTest {
    @Test
    void aStartThatCannotReadTheCasesTopicFails() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CasesOnTopic check = new CasesOnTopic();
        check.clients = new KafkaClients() {
            @Override
            public KafkaConsumer<String, String> readFromBeginning(String purpose, Collection<String> topics,
                                                                   Map<String, Object> overrides) {
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                        "127.0.0.1:" + closed, "enable.auto.commit", "false", "reconnect.backoff.max.ms", "200"),
                        new StringDeserializer(), new StringDeserializer());
                List<TopicPartition> partitions = List.of(new TopicPartition(Topics.CASES, 0));
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                return consumer;
            }
        };
        check.topics = new TopicAdmin() {
            @Override
            public void ensureTopics() {
            }
        };
        check.wait = Duration.ofSeconds(2);
        ReferencePublisher publisher = new ReferencePublisher();
        publisher.casesOnTopic = check;

        IllegalStateException refused = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(IllegalStateException.class, publisher::startUp));
        assertTrue(refused.getMessage().contains("could not read the 'cases' topic"), refused.getMessage());
    }
}
