package org.w4r.kit.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.w4r.events.Events;
import org.w4r.events.SignerErased;
import org.w4r.events.Topics;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.TopicReader;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Publishing through the service's one producer, on the real broker: an event as JSON under its key, a tombstone as a
 * null value, and a failure as a failed future, never thrown at the caller (the outbox decides what to do).
 */
class EventPublisherTest {
    /** No other kit test reads it. */
    private static final String TOPIC = Topics.DELIVERIES;

    @Test
    void anEventIsItsJsonUnderItsKeyAndANullIsATombstone() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        EventPublisher publisher = KitFixtures.publisher(bootstrap);
        try {
            SignerErased event = new SignerErased(UUID.randomUUID(), UUID.randomUUID(), "ai-malta",
                    List.of("el-hiblu-3"), Instant.now());
            String key = "key-" + UUID.randomUUID();
            RecordMetadata sent = publisher.publish(TOPIC, key, event).get();
            RecordMetadata tombstone = publisher.publishJson(TOPIC, key, null).get();
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(bootstrap, TOPIC).stream()
                    .filter(r -> key.equals(r.key())).toList();
            assertEquals(2, records.size());
            assertEquals(sent.offset(), records.get(0).offset());
            assertEquals(event, Events.fromJson(records.get(0).value(), SignerErased.class));
            assertEquals(tombstone.offset(), records.get(1).offset());
            assertNull(records.get(1).value());
        } finally {
            KitFixtures.close(publisher);
        }
    }

    @Test
    void aSendThatCannotBeMadeFailsItsFuture() {
        EventPublisher publisher = KitFixtures.publisher(KafkaBroker.bootstrapServers());
        publisher.topics.ensureTopics();
        KitFixtures.close(publisher); // the producer is closed at shutdown: later sends cannot be made
        CompletableFuture<RecordMetadata> sent = publisher.publishJson(TOPIC, "k", "{}");
        ExecutionException failure = assertThrows(ExecutionException.class, sent::get);
        assertEquals(IllegalStateException.class, failure.getCause().getClass());
    }
}
