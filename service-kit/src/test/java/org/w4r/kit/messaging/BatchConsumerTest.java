package org.w4r.kit.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w4r.events.Events;
import org.w4r.events.SignerErased;
import org.w4r.events.Topics;
import org.w4r.kit.KitDatabase;
import org.w4r.testsupport.KafkaBroker;
import org.w4r.testsupport.TopicReader;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchConsumer applying erasures to a real table in one transaction per batch, with the database's own refusals:
 * a check constraint refuses a poison event for good (SQLSTATE 23514), a statement timeout is the passing kind
 * (57014). The table has no unique key, so an event applied twice shows as two rows.
 */
class BatchConsumerTest {
    /** Not the outbox tests' topic: they read every record of theirs as an erasure, and these include unreadable ones. */
    private static final String TOPIC = Topics.MODERATION;
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private static String bootstrap;
    private static EventPublisher publisher;

    private KitDatabase db;
    private BatchConsumer consumer;

    @BeforeAll
    static void broker() {
        bootstrap = KafkaBroker.bootstrapServers();
        publisher = KitFixtures.publisher(bootstrap);
        publisher.topics.ensureTopics();
    }

    @AfterAll
    static void closePublisher() {
        KitFixtures.close(publisher);
    }

    @BeforeEach
    void table() throws Exception {
        db = new KitDatabase("kit_consumer");
        db.execute("create table applied (erasure_id uuid not null, entity_id text not null check (entity_id <> 'poison'))");
        consumer = KitFixtures.batchConsumer(publisher, 3);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void anUnreadableEventGoesToTheDeadLetterAtOnceAndTheRestIsApplied() throws Exception {
        SignerErased first = erasure("ai-malta"), second = erasure("ai-france");
        String unreadable = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"erasureId\":\"not-a-uuid\"";
        AtomicInteger calls = new AtomicInteger();
        // and the JSON literal null, which reads as no event at all
        ConsumerRecords<String, String> records = published(json(first), unreadable, json(second), "null");
        consumer.consume(TOPIC, records, SignerErased.class, events -> {
            calls.incrementAndGet();
            apply(events, 0);
        });
        assertEquals(1, calls.get(), "the readable events in one transaction, once");
        assertEquals(1, TopicReader.readAll(bootstrap, Topics.deadLetter(TOPIC)).stream()
                .filter(r -> "null".equals(r.value())).count(), "the null event too");
        assertEquals(1, applied(first));
        assertEquals(1, applied(second));
        List<ConsumerRecord<String, String>> dead = deadLetters(unreadable);
        assertEquals(1, dead.size());
        assertEquals("unreadable", header(dead.get(0), "w4r-reason"));
        ConsumerRecord<String, String> source = records.records(PARTITION).get(1);
        assertEquals(TOPIC + "-0@" + source.offset(), header(dead.get(0), "w4r-source"), "where it was read");
        assertEquals(KitFixtures.GROUP, header(dead.get(0), BatchConsumer.GROUP), "which group set it aside");
        assertEquals(2, consumer.deadLettered());
        assertEquals(2, consumer.registry.counter("w4r.consumer.dead.letters", "topic", TOPIC, "reason", "unreadable")
                .count());
        assertEquals(records.records(PARTITION).get(3).offset() + 1, consumer.appliedUpTo(PARTITION),
                "the partition is applied up to its last record, the dead-lettered one included");
    }

    @Test
    void aPassingFailureIsWaitedOutPastMaxAttemptsAndTheBatchAppliedOnceWhole() throws Exception {
        List<SignerErased> batch = List.of(erasure("ai-malta"), erasure("ai-france"), erasure("international-members"));
        AtomicInteger calls = new AtomicInteger();
        List<Integer> appliedSizes = new ArrayList<>();
        consumer.consume(TOPIC, published(batch.stream().map(BatchConsumerTest::json).toArray(String[]::new)),
                SignerErased.class, events -> {
            // more passing failures than maxAttempts: a database that is away must be waited for, never given up on
            apply(events, calls.incrementAndGet() <= 4 ? 1 : 0);
            appliedSizes.add(events.size());
        });
        assertEquals(5, calls.get());
        assertEquals(List.of(3), appliedSizes, "applied once, as one batch");
        for (SignerErased e : batch) {
            assertEquals(1, applied(e), "the failed attempts rolled back; the last one applied it once");
        }
        assertEquals(0, consumer.deadLettered());
        assertEquals(4, consumer.registry.counter("w4r.consumer.retries", "topic", TOPIC, "reason", "unavailable")
                .count(), "each wait counted, as an outage");
    }

    @Test
    void anEventRefusedEveryTimeIsDeadLetteredAloneAndTheEventsAroundItAreApplied() throws Exception {
        SignerErased before = erasure("ai-malta"), poison = erasure("poison"), after = erasure("ai-france");
        List<List<UUID>> calls = new ArrayList<>();
        consumer.consume(TOPIC, published(json(before), json(poison), json(after)), SignerErased.class, events -> {
            calls.add(events.stream().map(SignerErased::erasureId).toList());
            apply(events, 0);
        });
        List<UUID> whole = List.of(before.erasureId(), poison.erasureId(), after.erasureId());
        List<List<UUID>> expected = List.of(whole, whole, whole, // the batch, maxAttempts times
                List.of(before.erasureId()), // then one at a time
                List.of(poison.erasureId()), List.of(poison.erasureId()), List.of(poison.erasureId()),
                List.of(after.erasureId()));
        assertEquals(expected, calls);
        assertEquals(1, applied(before));
        assertEquals(0, applied(poison));
        assertEquals(1, applied(after));
        List<ConsumerRecord<String, String>> dead = deadLetters(poison.erasureId().toString());
        assertEquals(1, dead.size());
        assertEquals(json(poison), dead.get(0).value(), "kept as it came, for a person to replay");
        assertEquals("refused", header(dead.get(0), "w4r-reason"));
        assertEquals("PSQLException (SQLSTATE 23514)", header(dead.get(0), "w4r-error"), "the type and SQLSTATE only");
        assertEquals(1, consumer.deadLettered());
    }

    /** Inserts the events in one transaction; {@code passingFailure} makes it time out (57014) after the inserts. */
    private void apply(List<SignerErased> events, int passingFailure) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into applied (erasure_id, entity_id) values (?, ?)")) {
                    for (SignerErased e : events) {
                        insert.setObject(1, e.erasureId());
                        insert.setString(2, e.entityId());
                        insert.executeUpdate();
                    }
                }
                if (passingFailure > 0) {
                    try (Statement slow = connection.createStatement()) {
                        slow.execute("set local statement_timeout = '20ms'");
                        slow.execute("select pg_sleep(5)");
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private long applied(SignerErased event) throws SQLException {
        return db.count("select count(*) from applied where erasure_id = '" + event.erasureId() + "'");
    }

    /** Publishes {@code payloads} to the topic's one partition and reads them back as a channel's poll hands them over. */
    private static ConsumerRecords<String, String> published(String... payloads) throws Exception {
        return published(java.util.Arrays.stream(payloads).map(p -> new ProducerRecord<>(TOPIC, 0, "key", p)).toList());
    }

    private static ConsumerRecords<String, String> published(List<ProducerRecord<String, String>> records) throws Exception {
        long first = -1;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (ProducerRecord<String, String> record : records) {
                long offset = producer.send(record).get().offset();
                first = first < 0 ? offset : first;
            }
        }
        long from = first;
        List<ConsumerRecord<String, String>> read = TopicReader.readAll(bootstrap, TOPIC).stream()
                .filter(r -> r.partition() == 0 && r.offset() >= from).toList();
        assertEquals(records.size(), read.size());
        return new ConsumerRecords<>(Map.of(PARTITION, read), Map.of());
    }

    /**
     * An event sent again to its topic for one group ({@code w4r-redrive-for}, the group its dead letter names) is
     * applied by that group and passed by every other: two groups read {@code actions} and share its dead letter, and
     * an event one of them refused, published again, was applied a second time by the other once its dedupe window
     * had passed it (a read-only review, 8 December 2026).
     */
    @Test
    void anEventSentAgainForOneGroupIsAppliedByThatGroupAlone() throws Exception {
        SignerErased mine = erasure("ai-malta"), theirs = erasure("ai-france"), everyones = erasure("international-members");
        ProducerRecord<String, String> forMe = new ProducerRecord<>(TOPIC, 0, "key", json(mine));
        forMe.headers().add(BatchConsumer.REDRIVE_FOR, KitFixtures.GROUP.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, String> forThem = new ProducerRecord<>(TOPIC, 0, "key", json(theirs));
        forThem.headers().add(BatchConsumer.REDRIVE_FOR, "another-group".getBytes(StandardCharsets.UTF_8));
        ConsumerRecords<String, String> records = published(List.of(forMe, forThem,
                new ProducerRecord<>(TOPIC, 0, "key", json(everyones))));
        consumer.consume(TOPIC, records, SignerErased.class, events -> apply(events, 0));
        assertEquals(1, applied(mine));
        assertEquals(0, applied(theirs), "another group's");
        assertEquals(1, applied(everyones));
        assertEquals(records.records(PARTITION).get(2).offset() + 1, consumer.appliedUpTo(PARTITION),
                "the partition moves past the record passed by");
    }

    private static List<ConsumerRecord<String, String>> deadLetters(String containing) {
        return TopicReader.readAll(bootstrap, Topics.deadLetter(TOPIC)).stream()
                .filter(r -> r.value() != null && r.value().contains(containing)).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static SignerErased erasure(String entityId) {
        return new SignerErased(UUID.randomUUID(), UUID.randomUUID(), entityId, List.of("el-hiblu-3"),
                Instant.now());
    }

    private static String json(SignerErased event) {
        return Events.toJson(event);
    }
}
