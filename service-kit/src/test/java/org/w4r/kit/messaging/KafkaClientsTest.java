package org.w4r.kit.messaging;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.w4r.testsupport.KafkaBroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's own Kafka clients, on the real broker: one admin and one producer, readers from the beginning. */
class KafkaClientsTest {
    private static final String APPLICATION = "kit-clients-test";

    @Test
    void theAdminAndTheProducerAreOneEachAndClosedAtShutdown() throws Exception {
        KafkaClients clients = KitFixtures.clients(KafkaBroker.bootstrapServers(), APPLICATION);
        Admin admin = clients.admin();
        assertSame(admin, clients.admin(), "one admin for the whole service");
        Producer<String, String> producer = clients.producer();
        assertSame(producer, clients.producer(), "one producer for the whole service");
        String topic = topic(clients, 1);
        assertEquals(0, producer.send(new ProducerRecord<>(topic, "k", "v")).get().offset());
        assertTrue(producer.metrics().keySet().stream()
                .anyMatch(name -> (APPLICATION + "-publisher").equals(name.tags().get("client-id"))),
                "named after the application, so its metrics say whose it is");

        KitFixtures.close(clients);
        assertThrows(IllegalStateException.class, () -> producer.send(new ProducerRecord<>(topic, "k", "v")),
                "the producer is closed at shutdown");
        assertThrows(ExecutionException.class, () -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS),
                "the admin is closed at shutdown");
        assertThrows(IllegalStateException.class, () -> clients.readFromBeginning("late", List.of(topic), Map.of()),
                "no client is made after shutdown: nothing would close it");
    }

    @Test
    void aReaderFromTheBeginningHasEveryPartitionAndReadsWhatWasThereBeforeItJoinedNoGroup() throws Exception {
        KafkaClients clients = KitFixtures.clients(KafkaBroker.bootstrapServers(), APPLICATION);
        try {
            String topic = topic(clients, 2);
            Producer<String, String> producer = clients.producer();
            producer.send(new ProducerRecord<>(topic, 0, "a", "first")).get();
            producer.send(new ProducerRecord<>(topic, 1, "b", "second")).get();
            producer.send(new ProducerRecord<>(topic, 0, "c", "third")).get();
            try (KafkaConsumer<String, String> reader = clients.readFromBeginning("reader", List.of(topic),
                    Map.of("max.poll.records", "1"))) {
                Set<TopicPartition> partitions = Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
                assertEquals(partitions, reader.assignment());
                assertEquals(Set.of(), reader.subscription(), "assigned, not subscribed: no group");
                List<String> values = new ArrayList<>();
                Map<TopicPartition, Long> end = reader.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                    for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
                assertEquals(List.of("first", "second", "third"), values.stream().sorted().toList());
                assertTrue(reader.metrics().keySet().stream()
                        .anyMatch(name -> (APPLICATION + "-reader").equals(name.tags().get("client-id"))));
            }
        } finally {
            KitFixtures.close(clients);
        }
    }

    /**
     * A topic the broker does not know has no partitions, and a reader was assigned the others only, for good: a
     * reference topic missing at the start was never read while its reader said it was current (a read-only review, 6
     * December 2026). It now waits for every topic, takes one made meanwhile, and refuses when the wait is over.
     */
    @Test
    void aReaderWaitsForEveryTopicAndRefusesToStartWithoutOne() throws Exception {
        KafkaClients clients = KitFixtures.clients(KafkaBroker.bootstrapServers(), APPLICATION);
        try {
            String there = topic(clients, 1);
            String never = "kit-test-missing-" + UUID.randomUUID();
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> clients.readFromBeginning("reader", List.of(there, never), Map.of(), Duration.ofSeconds(1)));
            assertTrue(refused.getMessage().contains(never), refused.getMessage());

            String late = "kit-test-late-" + UUID.randomUUID();
            CompletableFuture<Set<TopicPartition>> assigned = CompletableFuture.supplyAsync(() -> {
                try (KafkaConsumer<String, String> reader = clients.readFromBeginning("reader", List.of(there, late),
                        Map.of(), Duration.ofSeconds(60))) {
                    return reader.assignment();
                }
            });
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> !assigned.isDone());
            clients.admin().createTopics(List.of(new NewTopic(late, 2, (short) 1))).all().get();
            assertEquals(Set.of(new TopicPartition(there, 0), new TopicPartition(late, 0), new TopicPartition(late, 1)),
                    assigned.get(60, TimeUnit.SECONDS), "every partition of the topic made while it waited");
        } finally {
            KitFixtures.close(clients);
        }
    }

    /**
     * An operator's {@code kafka.*} settings tune the producer (they were once overwritten by the kit's own waits), but
     * never take away what makes a completed send durable and a retried one single.
     */
    @Test
    void anOperatorTunesTheProducersWaitsButNotItsGuarantees() {
        KafkaClients clients = KitFixtures.clients(KafkaBroker.bootstrapServers(), APPLICATION, Map.of(
                "delivery.timeout.ms", "120000", "linger.ms", "5", "acks", "1", "enable.idempotence", "false"));
        Map<String, Object> config = clients.producerConfig();
        assertEquals("120000", config.get("delivery.timeout.ms"));
        assertEquals("5", config.get("linger.ms"));
        assertEquals("all", config.get("acks"));
        assertEquals("true", config.get("enable.idempotence"));
        assertEquals("10000", KitFixtures.clients(KafkaBroker.bootstrapServers(), APPLICATION).producerConfig()
                .get("max.block.ms"), "the kit's own wait where the operator sets none");
    }

    /** A topic of this test's own. */
    /**
     * A new topic, once its partitions have a leader: created is not yet served, and reading its offsets at once failed
     * with UnknownTopicOrPartitionException on a loaded machine (TopicOffsetsTest, 5 December 2026).
     */
    static String topic(KafkaClients clients, int partitions) throws Exception {
        String topic = "kit-test-" + UUID.randomUUID();
        clients.admin().createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> clients.admin().listOffsets(latest).all().get().size() == partitions);
        return topic;
    }
}
