package org.w4r.tally;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;
import org.w4r.testsupport.WithPlatformResources;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.testsupport.Pause.pause;

/**
 * A consumer-group rebalance in the middle of the tally's batches (issue 14): while actions stream in, a second
 * member joins the {@code tally-service} group, takes partitions away from the service mid-batch, reads without
 * committing and leaves; the service gets them back and resumes from its last committed offset. The events it had
 * applied but not yet committed offsets for come again and are skipped by event id, in the transaction of the
 * counts: every event counted once, none lost.
 */
@QuarkusTest
@WithPlatformResources
class TallyRebalanceTest {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "mp.messaging.incoming.actions.group.id")
    String group;

    @Test
    void aMemberJoiningAndLeavingMidBatchChangesNoCount() {
        long before = TallyCountingTest.totals().getLong("total");
        int events = 3000;
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", kafka, "acks", "all", "linger.ms", "5"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < events; i++) {
                    ActionRecorded action = TallyCountingTest.action(ReferenceFixtures.CASES.get(i % 3), "ai-france",
                            ActionType.SIGNATURE, Mode.ONLINE, 1);
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.ACTIONS, action.key(),
                            org.w4r.events.Events.toJson(action)));
                    sent.incrementAndGet();
                    if (i % 100 == 99) {
                        producer.flush();
                        pause(20); // a steady stream, so the rebalance lands between and inside batches
                    }
                }
            }
        });
        AtomicInteger rebalances = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        for (int round = 0; round < 3; round++) {
            int share = events / 5 * (round + 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() > share || stream.isDone());
            try (KafkaConsumer<String, String> member = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka,
                    "group.id", group, "enable.auto.commit", "false", "auto.offset.reset", "earliest",
                    "max.poll.records", "50"), new StringDeserializer(), new StringDeserializer())) {
                member.subscribe(List.of(Topics.ACTIONS), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        rebalances.incrementAndGet();
                        taken.addAndGet(partitions.size());
                    }
                });
                // joining waits for the service's member to rejoin (its next poll, after the batch in hand)
                int assigned = rebalances.get();
                long joinBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (rebalances.get() == assigned && System.nanoTime() < joinBy) {
                    member.poll(Duration.ofMillis(100));
                }
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < until) {
                    member.poll(Duration.ofMillis(100)); // reads, never commits: what it read is the service's again
                }
            } // leaving: a second rebalance gives the partitions back
        }
        stream.join();
        assertTrue(rebalances.get() >= 3, "the second member joined the group each round");
        assertTrue(taken.get() > 0, "and took partitions from the service (" + taken.get() + ")");
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertEquals(before + events, TallyCountingTest.totals().getLong("total")));
        // and nothing more arrives later: a redelivered batch was skipped, not delayed
        pause(2000);
        JsonPath after = TallyCountingTest.totals();
        assertEquals(before + events, after.getLong("total"));
    }
}
