package org.w4r.kit.outbox;

import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.w4r.events.Events;
import org.w4r.events.SignerErased;
import org.w4r.events.Topics;
import org.w4r.kit.messaging.EventPublisher;
import org.w4r.kit.tracing.EventTracing;
import org.w4r.testsupport.TopicReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Outbox rows written as the services write them ({@link Outbox}), and read back from the topic. The events are
 * erasures (ids only, nothing personal) on a one-partition topic, so the topic's order is the order they were sent.
 */
final class OutboxFixtures {
    static final String TOPIC = Topics.ERASURES;

    private OutboxFixtures() {
    }

    /**
     * The relay's settings as a test sets them: enabled, resting 50 ms when the outbox is empty, and gathering
     * {@code gatherMs} after a batch that sent something (0 unless a test sets it).
     */
    record Settings(boolean enabled, int batchSize, long idlePollMs, long gatherMs) implements OutboxRelay.Settings {
    }

    static OutboxRelay relay(AgroalDataSource dataSource, EventPublisher publisher, int batchSize) {
        return relay(dataSource, publisher, batchSize, OpenTelemetry.noop().getTracer("w4r-test"));
    }

    static OutboxRelay relay(AgroalDataSource dataSource, EventPublisher publisher, int batchSize, Tracer tracer) {
        OutboxRelay relay = new OutboxRelay();
        relay.tracing = new EventTracing(tracer);
        relay.dataSource = dataSource;
        relay.lostConnections = org.w4r.kit.problem.LostConnections.of(dataSource);
        relay.publisher = publisher;
        relay.settings = new Settings(true, batchSize, 50, 0);
        // the fence a relay's attempt sets (about 55 s with the producer's defaults) and the margin a failed batch's
        // keeps (10 s): short here, so
        // a test that makes a relay wait it out does not wait long; a publisher a test writes has no producer settings
        relay.fence = java.time.Duration.ofSeconds(10);
        relay.margin = java.time.Duration.ofSeconds(1);
        return relay;
    }

    /**
     * A publisher whose sends go through {@code send} (to fail, hold or count them), on {@code real}'s topics and
     * producer otherwise.
     */
    static EventPublisher sendingThrough(EventPublisher real, java.util.function.Function<
            org.apache.kafka.clients.producer.ProducerRecord<String, String>,
            java.util.concurrent.CompletableFuture<org.apache.kafka.clients.producer.RecordMetadata>> send) {
        return new EventPublisher() {
            @Override
            public void readyToSend() {
                real.readyToSend();
            }

            @Override
            public java.util.concurrent.CompletableFuture<org.apache.kafka.clients.producer.RecordMetadata> send(
                    org.apache.kafka.clients.producer.ProducerRecord<String, String> record) {
                return send.apply(record);
            }
        };
    }

    static void start(OutboxRelay relay) {
        relay.start(null);
    }

    static void stop(OutboxRelay relay) {
        relay.stop(null);
    }

    static SignerErased erasure() {
        return new SignerErased(UUID.randomUUID(), UUID.randomUUID(), "ai-malta", List.of("el-hiblu-3"),
                Instant.now());
    }

    /**
     * The most events a row holds here: {@link Outbox#addAll} caps a row at the relay's batch size, and 10 is the
     * smallest batch these tests relay with.
     */
    static final int MOST_PER_ROW = 10;

    /**
     * Writes {@code events} under {@code key} in {@code connection}'s open transaction, left uncommitted, as {@link
     * Outbox#addAll} does: consecutive events share rows of at most {@link #MOST_PER_ROW}.
     */
    static void insert(Connection connection, String key, List<SignerErased> events) throws SQLException {
        insert(connection, key, events, MOST_PER_ROW);
    }

    /** As {@link #insert(Connection, String, List)}, with rows of at most {@code mostPerRow} (1: the old way). */
    static void insert(Connection connection, String key, List<SignerErased> events, int mostPerRow) throws SQLException {
        Outbox.insert(connection, events.stream().map(e -> new Outbox.Row(TOPIC, key, e)).toList(), mostPerRow);
    }

    /** How many events the outbox relation {@code table} holds (a grouped row holds many). */
    static String eventsIn(String table) {
        return "select coalesce(sum(coalesce(cardinality(payloads), 1)), 0) from " + table;
    }

    /** Writes {@code events} in one transaction under {@code key}; returns the ids of their outbox rows. */
    static List<Long> write(AgroalDataSource dataSource, String key, List<SignerErased> events) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long before = maxId(connection);
            insert(connection, key, events);
            connection.commit();
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select id from outbox where id > ? and coalesce(event_key, event_keys[1]) = ? order by id")) {
                select.setLong(1, before);
                select.setString(2, key);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            connection.commit();
            return ids;
        }
    }

    private static long maxId(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select coalesce(max(id), 0) from outbox");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<SignerErased> erasures(int n) {
        List<SignerErased> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(erasure());
        }
        return events;
    }

    /** The erasure ids on the topic under keys starting with {@code keyPrefix}, in topic order. */
    static List<UUID> onTopic(String bootstrapServers, String keyPrefix) {
        List<UUID> ids = new ArrayList<>();
        for (ConsumerRecord<String, String> record : TopicReader.readAll(bootstrapServers, TOPIC)) {
            if (record.key() != null && record.key().startsWith(keyPrefix)) {
                ids.add(Events.fromJson(record.value(), SignerErased.class).erasureId());
            }
        }
        return ids;
    }

    static List<UUID> ids(List<SignerErased> events) {
        return events.stream().map(SignerErased::erasureId).toList();
    }
}
